import type { Messages } from './en';

export const esCalendar: Messages['calendar'] = {
	intro: 'Cuándo termina cada acceso, día a día, para que contactes con tus clientes antes.',
	timeZone: 'Horas en {zone}.',
	views: {
		label: 'Vista',
		month: 'Mes',
		agenda: 'Agenda'
	},
	previousMonth: 'Mes anterior',
	nextMonth: 'Mes siguiente',
	today: 'Hoy',
	tomorrow: 'Mañana',
	monthCaption: 'Vencimientos de {month}',
	monthEmpty: 'Ningún acceso termina en {month}.',
	more: '+{count} más',
	moreDay: 'el {date}, en la agenda',
	legend: 'Colores',
	states: {
		expiring: 'Vence en 7 días o menos',
		active: 'Activo',
		expired: 'Vencido'
	},
	entryStates: {
		expiring: 'Por vencer',
		active: 'Activo',
		expired: 'Vencido'
	},
	agendaTitle: 'Próximos vencimientos',
	agendaFromTitle: 'Vencimientos desde el {date}',
	agendaEmpty: 'Ningún acceso termina a partir del {date}.',
	agendaEmptyNext: 'Los accesos de por vida no vencen y los revocados no aparecen.',
	showMore: 'Ver más días',
	fromToday: 'Desde hoy',
	entryAt: 'termina a las {time}',
	unknownClient: 'Cliente aún no descargado en este dispositivo',
	unknownIndicator: 'Indicador aún no descargado en este dispositivo',
	emptyTitle: 'Aún no hay vencimientos',
	emptyBody:
		'El calendario muestra cuándo termina cada acceso con fecha de fin. Los accesos de por vida y los revocados no vencen, así que no aparecen aquí.',
	emptyNext: 'Concede acceso a un cliente desde la página Accesos; su fecha de fin aparecerá aquí.',
	goToAccesses: 'Ir a Accesos',
	export: 'Exportar .ics',
	exportHint:
		'Los próximos vencimientos como archivo de calendario para Google Calendar, Outlook o Calendario de Apple, creado en este dispositivo (funciona sin conexión).',
	exportedOne: 'Se descargó 1 próximo vencimiento como {file}.',
	exportedMany: 'Se descargaron {count} próximos vencimientos como {file}.',
	exportNone: 'No hay próximos vencimientos que exportar.',
	ics: {
		name: 'Vencimientos de PineGate',
		summary: 'Termina el acceso a {indicator} — {client}',
		description:
			'Termina el acceso en TradingView de {client} a {indicator}. Renuévalo en PineGate para mantenerlo.'
	}
};
