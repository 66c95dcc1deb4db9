import type { Messages } from './en';

/** Mensajes en español del registro de auditoría. */
export const esAudit: Messages['audit'] = {
	nav: 'Auditoría',
	title: 'Registro de auditoría',
	intro:
		'Cada operación importante: inicios de sesión, usuarios y roles, ajustes y la conexión con TradingView, accesos, renovaciones, revocaciones, eliminaciones, correcciones de conciliación y ejecuciones de tareas.',
	notAllowedTitle: 'Solo administradores',
	notAllowed: 'Solo un administrador puede leer el registro de auditoría.',
	offline: 'El registro de auditoría está en el servidor: conéctate a internet para leerlo.',
	filters: 'Filtros',
	action: 'Acción',
	allActions: 'Todas las acciones',
	entity: 'Tipo de registro',
	actor: 'Quién (el correo contiene)',
	from: 'Desde',
	to: 'Hasta',
	apply: 'Aplicar filtros',
	clear: 'Limpiar',
	exportCsv: 'Exportar CSV',
	exported: '{count} entradas exportadas a {file}.',
	exportedTruncated:
		'Se exportaron las primeras {count} entradas a {file}; acota los filtros para el resto.',
	empty: 'Ninguna entrada coincide con estos filtros.',
	older: 'Entradas anteriores',
	when: 'Cuándo',
	who: 'Quién',
	what: 'Acción',
	record: 'Registro',
	details: 'Antes y después',
	before: 'Antes',
	after: 'Después',
	none: '—'
};
