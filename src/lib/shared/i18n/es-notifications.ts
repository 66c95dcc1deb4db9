import type { Messages } from './en';

/** Mensajes en español del centro de notificaciones. */
export const esNotifications: Messages['notifications'] = {
	title: 'Notificaciones',
	bell: 'Notificaciones',
	bellUnread: 'Notificaciones, {count} sin leer',
	intro:
		'Lo que requiere tu atención: vencimientos próximos, problemas con TradingView, clientes nuevos.',
	empty:
		'No hay notificaciones. Los recordatorios aparecen aquí 7 días y 1 día antes de que venza un acceso.',
	markAllRead: 'Marcar todas como leídas',
	marked: 'Todas las notificaciones están marcadas como leídas.',
	unread: 'Sin leer',
	filterUnread: 'Solo sin leer',
	showMore: 'Mostrar más',
	open: 'Abrir',
	someone: 'Alguien',
	kinds: {
		expiring_7d: '{client} · {indicator} vence en 7 días o menos ({date}).',
		expiring_1d: '{client} · {indicator} vence mañana o antes ({date}).',
		expired: '{client} · {indicator} ha vencido ({date}).',
		tradingview_sync_failed: 'TradingView no aceptó {client} · {indicator}: {reason}',
		tradingview_session_expired:
			'La sesión de TradingView caducó: los cambios esperan a que se guarden cookies nuevas en Ajustes.',
		new_client: 'Cliente nuevo: {client}.',
		double_renewal: '{client} · {indicator} puede haberse renovado dos veces.',
		edit_overwritten: 'Tu cambio en {field} fue sobrescrito por una edición posterior.',
		unknown: 'Notificación sobre {entity}.'
	}
};
