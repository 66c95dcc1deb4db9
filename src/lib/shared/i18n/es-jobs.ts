import type { Messages } from './en';

/** Mensajes en español de la página Tareas (docs/jobs.md) y de la comprobación de sesión. */
export const esJobs: Messages['jobs'] = {
	nav: 'Tareas',
	title: 'Tareas',
	intro:
		'Trabajo que PineGate hace por sí solo según un horario. Cada ejecución queda registrada con su resultado; Ejecutar ahora lanza una al momento.',
	notAllowedTitle: 'Para administradores',
	notAllowed: 'Solo los administradores pueden ver y ejecutar las tareas programadas.',
	offline:
		'Estás sin conexión. La página Tareas lee del servidor: se cargará cuando vuelvas a estar en línea, y Ejecutar ahora también necesita conexión.',
	names: {
		'tradingview-session-check': 'Comprobación de la sesión de TradingView',
		'tradingview-reconcile': 'Conciliación con TradingView',
		'expiry-sweep': 'Barrido de vencimientos',
		'expiry-reminders': 'Recordatorios de vencimiento',
		'sync-purge': 'Limpieza del historial de sincronización',
		backup: 'Copia de seguridad'
	},
	schedule: {
		everyMinute: 'Cada minuto',
		everyMinutes: 'Cada {minutes} minutos',
		hourly: 'Cada hora, en punto',
		hourlyAt: 'Cada hora en el minuto {minute}',
		daily: 'Cada día a las {time} UTC',
		cron: 'Cron «{cron}» (UTC)'
	},
	columns: {
		job: 'Tarea',
		schedule: 'Horario',
		lastRun: 'Última ejecución',
		lastSuccess: 'Último éxito',
		nextRun: 'Próxima ejecución',
		started: 'Inicio',
		duration: 'Duración',
		outcome: 'Resultado',
		trigger: 'Origen',
		error: 'Error',
		summary: 'Resumen o error',
		actions: 'Acciones'
	},
	outcome: {
		running: 'En curso',
		succeeded: 'Correcta',
		failed: 'Fallida'
	},
	trigger: {
		schedule: 'Horario',
		manual: 'A mano'
	},
	never: 'Nunca',
	none: '—',
	runNow: 'Ejecutar ahora',
	runNowLabel: 'Ejecutar {job} ahora',
	running: 'Ejecutando…',
	ran: '{job}: {outcome}.',
	recentRuns: 'Ejecuciones recientes',
	filter: 'Mostrar ejecuciones de',
	allJobs: 'Todas las tareas',
	noRuns:
		'Aún no hay ejecuciones. Las tareas se ejecutan según su horario, o pulsa Ejecutar ahora.',
	olderRuns: 'Ver ejecuciones anteriores',
	durationMs: '{ms} ms',
	durationS: '{s} s',
	durationMin: '{min} min {s} s',
	sessionCheck: {
		ok: 'Sesión comprobada por última vez el {date}: válida.',
		expired:
			'Sesión comprobada por última vez el {date}: TradingView la rechazó. Las escrituras están en pausa hasta que se guarden cookies nuevas.',
		unreachable: 'Sesión comprobada por última vez el {date}: no se pudo contactar con TradingView.'
	}
};
