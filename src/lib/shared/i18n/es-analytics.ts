import type { Messages } from './en';

/** Mensajes en español de la página de analítica. */
export const esAnalytics: Messages['analytics'] = {
	intro:
		'Calculado en este dispositivo con sus datos, así que funciona sin conexión. Las horas están en UTC.',
	loading: 'Leyendo los datos de este dispositivo…',
	failed:
		'No se pudieron calcular los gráficos en este dispositivo: {reason}. Recarga la página para volver a intentarlo.',
	emptyTitle: 'Aún no hay datos que analizar',
	emptyBody: 'Los gráficos se llenan cuando tengas clientes y accesos.',
	emptyNext:
		'Añade un cliente y concédele un indicador; las cifras se irán formando a partir de ahí.',
	range: {
		label: 'Periodo',
		'30d': 'Últimos 30 días',
		'90d': 'Últimos 90 días',
		'12m': 'Últimos 12 meses',
		custom: 'Personalizado',
		from: 'Desde',
		to: 'Hasta',
		invalid: 'Elige una fecha de inicio igual o anterior a la de fin.',
		showing: '{from} – {to}, por {period}',
		week: 'semana',
		month: 'mes'
	},
	chartLabel: '{title}: gráfico. La tabla de abajo da las mismas cifras.',
	clients: {
		title: 'Clientes a lo largo del tiempo',
		caption: 'Clientes al final de cada periodo',
		hint: 'Todos: clientes registrados hasta entonces. Activos: estado activo y un acceso abierto en ese momento.',
		period: 'Periodo',
		weekOf: 'Semana del {date}',
		all: 'Todos los clientes',
		active: 'Clientes activos'
	},
	indicators: {
		title: 'Indicadores más populares',
		caption:
			'Accesos abiertos ahora y periodos vendidos (nuevos y renovados) en los últimos 30 y 90 días',
		indicator: 'Indicador',
		openGrants: 'Accesos abiertos',
		terms30: 'Periodos, 30 días',
		terms90: 'Periodos, 90 días',
		unknown: 'Indicador desconocido',
		none: 'Ningún indicador tiene accesos abiertos ni ventas recientes.'
	},
	subscriptions: {
		title: 'Suscripciones por mes',
		caption: 'Periodos vendidos por mes, accesos nuevos y renovaciones',
		month: 'Mes',
		new: 'Nuevos',
		renewal: 'Renovaciones',
		total: 'Total'
	},
	renewals: {
		title: 'Tasa de renovación por mes',
		caption: 'Periodos que terminan cada mes y se renovaron',
		hint: 'Un periodo cuenta como renovado si se renovó antes de terminar o hasta 7 días después. Se excluyen los vitalicios, los revocados y los aún sin decidir.',
		month: 'Mes',
		renewed: 'Renovados',
		ended: 'Terminados',
		rate: 'Tasa',
		overall: 'Todo el periodo',
		overallValue: 'En total: {rate} ({renewed} de {total})',
		noRate: '—'
	},
	expirations: {
		title: 'Vencimientos por semana',
		caption: 'Accesos abiertos que terminan en cada una de las próximas 8 semanas',
		week: 'Semana',
		weekRange: '{from} – {to}',
		count: 'Accesos que terminan'
	}
};
