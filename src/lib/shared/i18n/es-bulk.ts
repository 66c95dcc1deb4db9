import type { Messages } from './en';

export const esBulk: Messages['bulk'] = {
	entry: 'Dar acceso a estos clientes',
	title: 'Dar acceso a muchos clientes',
	intro:
		'Da indicadores a todos los clientes de una lista filtrada a la vez. Antes de cambiar nada verás qué se creará y qué se ampliará.',
	filter: {
		all: 'Todos los clientes',
		active: 'Clientes activos',
		inactive: 'Clientes inactivos',
		matching: '{who} que coinciden con «{q}»',
		from: '{who} registrados desde el {from}',
		to: '{who} registrados hasta el {to}',
		between: '{who} registrados del {from} al {to}',
		count: '{filter}: {count}',
		change: 'Cambiar el filtro'
	},
	clients: {
		title: 'Clientes',
		selectAll: 'Seleccionar todos',
		selectNone: 'No seleccionar ninguno',
		selected: '{selected} de {count} seleccionados',
		notGrantable: 'Inactivo: no se le puede dar acceso',
		loading: 'Cargando clientes: {loaded} de {total}',
		emptyTitle: 'No hay clientes en esta lista',
		emptyBody: 'Ningún cliente coincide con este filtro. Cambia el filtro en la página Clientes.',
		range: '{start}–{end} de {count}',
		pages: 'Páginas de clientes',
		previous: 'Anterior',
		next: 'Siguiente',
		pageOf: 'Página {page} de {pages}'
	},
	what: 'Qué dar',
	preview: {
		title: 'Vista previa',
		create: 'Accesos nuevos',
		extend: 'Ampliados',
		reopen: 'Reabiertos',
		refused: 'Rechazados',
		totals: '{create} nuevos, {extend} ampliados, {reopen} reabiertos, {refused} rechazados',
		refusedRetired: '{count} rechazados: el indicador está retirado',
		refusedInactive: '{count} rechazados: el cliente está inactivo',
		refusedUsernameInvalid: '{count} rechazados: TradingView no conoce el usuario',
		refusedEndNotLater: '{count} rechazados: la fecha de fin no es posterior al fin actual',
		clients: 'Clientes que reciben acceso: {count}',
		unselected: 'No seleccionados, quedan como están: {count}',
		chooseIndicators: 'Elige al menos un indicador para ver qué pasará.',
		chooseEnd: 'Elige la fecha de fin para ver qué pasará.',
		nothing: 'Nada que dar: ningún cliente seleccionado puede recibir estos indicadores.',
		table: 'Qué pasa con cada cliente',
		client: 'Cliente',
		result: 'Qué pasa',
		pages: 'Páginas de la vista previa'
	},
	confirm: 'Dar acceso a {count} clientes',
	confirmOne: 'Dar acceso a 1 cliente',
	progress: {
		label: 'Aplicados en este dispositivo: {done} de {total}',
		working: 'Dando acceso… Mantén esta página abierta hasta que termine.',
		leave: 'Todavía se están aplicando los accesos. Quédate en esta página hasta que terminen.'
	},
	result: {
		title: 'Resultado',
		applied: 'Acceso dado en este dispositivo: {count} clientes.',
		failed: 'No se pudieron aplicar: {count}. No se cambió nada para ellos.',
		failedRow: '{name}: {reason}',
		retry: 'Reintentar los fallidos',
		waiting: 'Pendientes de sincronizar: {count}. Se envían al servidor automáticamente.',
		waitingOffline:
			'Pendientes de sincronizar: {count}. Este dispositivo no tiene conexión: se guardan aquí y se envían cuando vuelvas a estar en línea.',
		synced: 'Todos llegaron al servidor.',
		rejected:
			'Rechazados por el servidor: {count}. Abre el panel de sincronización desde el indicador de la cabecera para ver por qué.',
		again: 'Empezar otro acceso masivo',
		back: 'Volver a clientes'
	}
};
