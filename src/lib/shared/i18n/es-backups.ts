import type { Messages } from './en';

/** Mensajes en español de la página de copias de seguridad (docs/backups.md) y su tarjeta en Ajustes. */
export const esBackups: Messages['backups'] = {
	title: 'Copias de seguridad',
	intro:
		'PineGate hace una copia de seguridad de su base de datos cada día a las 02:30 UTC en una carpeta del servidor. Hacer copia ahora crea una al momento.',
	back: 'Volver a Ajustes',
	notAllowedTitle: 'Para administradores',
	notAllowed: 'Solo los administradores pueden ver y hacer copias de seguridad.',
	offline:
		'No tienes conexión. Las copias se guardan en el servidor: la lista se cargará cuando vuelvas a estar en línea, y Hacer copia ahora también necesita conexión.',
	card: {
		title: 'Copias de seguridad',
		text: 'Una copia de toda la base de datos cada día, guardada una semana; una por semana, guardada un mes.',
		open: 'Abrir Copias de seguridad'
	},
	backUpNow: 'Hacer copia ahora',
	backingUp: 'Haciendo la copia…',
	created: 'Copia hecha: {file} ({size}).',
	listTitle: 'Copias en el servidor',
	folder: 'Carpeta en el servidor: {dir}',
	empty: 'Aún no hay copias. Se hace una cada día a las 02:30 UTC, o pulsa Hacer copia ahora.',
	columns: {
		when: 'Hecha',
		type: 'Tipo',
		database: 'Base de datos',
		size: 'Tamaño',
		file: 'Archivo'
	},
	label: {
		daily: 'Diaria',
		weekly: 'Semanal',
		manual: 'Manual'
	},
	source: {
		pglite: 'Integrada (instantánea de la carpeta de datos)',
		postgres: 'PostgreSQL (volcado lógico)'
	},
	retention:
		'Se guardan las 7 copias diarias más recientes, las 4 semanales más recientes (la primera de cada semana) y las 10 manuales más recientes; las más antiguas se borran tras cada copia.',
	restoreTitle: 'Restaurar una copia',
	restoreIntro:
		'Restaurar sustituye todos los registros por los de la copia. Se hace en el servidor, con PineGate detenido:',
	restoreStop: 'Detén el servidor de PineGate (todas las instancias, con PostgreSQL).',
	restoreRun: 'En la carpeta de PineGate del servidor, ejecuta:',
	restoreStart:
		'Vuelve a iniciar el servidor. Cada dispositivo descarga todo de nuevo en su siguiente sincronización; los cambios que aún no había enviado se conservan y se envían.',
	restorePglite:
		'Con la base de datos integrada, la carpeta sustituida se conserva a su lado como pglite.before-restore-<hora>.',
	security:
		'Las copias contienen los hashes de las contraseñas y la sesión de TradingView cifrada. Mantén la carpeta privada y cópiala a un lugar seguro; guarda con ellas SECRET_KEY (o secret.key de la carpeta de datos), o habrá que volver a conectar la sesión de TradingView tras restaurar en otra máquina.',
	size: {
		bytes: '{n} B',
		kb: '{n} KB',
		mb: '{n} MB',
		gb: '{n} GB'
	}
};
