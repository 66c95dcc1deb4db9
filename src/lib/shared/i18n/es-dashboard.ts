import type { Messages } from './en';

/** Mensajes en español de las cifras del panel. */
export const esDashboard: Messages['dashboard'] = {
	figures: 'Cifras clave',
	totalClients: 'Clientes',
	activeClients: 'Clientes activos',
	openGrants: 'Accesos abiertos',
	expiringIn7Days: 'Vencen en 7 días',
	expiringTomorrow: 'Vencen mañana',
	tradingViewFailing: 'Con fallos en TradingView',
	revenueAtRisk: 'Ingresos en riesgo esta semana',
	revenueAtRiskHint:
		'El último pago de cada cliente cuyo acceso de pago vence en los próximos 7 días ({count} clientes).',
	revenueAtRiskNone: 'Ningún acceso de pago con un pago conocido vence en los próximos 7 días.',
	upcoming: 'Próximos vencimientos',
	upcomingEmpty: 'Ningún acceso vence en los próximos 7 días.',
	seeAll: 'Ver todos los accesos',
	loading: 'Leyendo los datos de este dispositivo…',
	failed:
		'No se pudieron calcular las cifras en este dispositivo: {reason}. Recarga la página para volver a intentarlo.'
};
