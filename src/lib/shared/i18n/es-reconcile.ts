import type { Messages } from './en';

export const esReconcile: Messages['reconcile'] = {
	title: 'Conciliación',
	intro:
		'Compara la lista de accesos de cada indicador en TradingView con los accesos de PineGate y muestra las diferencias. Se ejecuta cada día; ejecútala ahora tras cambios hechos directamente en TradingView.',
	link: 'Abrir conciliación',
	linkIntro:
		'Compara las listas de acceso de TradingView con tus accesos y corrige las diferencias.',
	notAllowedTitle: 'No permitido',
	notAllowed:
		'Solo los administradores pueden ejecutar la conciliación y corregir lo que encuentre.',
	back: 'Volver a Ajustes',
	runNow: 'Ejecutar ahora',
	starting: 'Iniciando…',
	running: 'En curso: {indicators} indicadores revisados por ahora…',
	offline:
		'La conciliación trabaja con TradingView a través del servidor, así que necesita conexión. Estás sin conexión: vuelve a conectarte para ejecutarla o corregir diferencias.',
	never:
		'Aún no se ha ejecutado ninguna conciliación. Pulsa «Ejecutar ahora» para comparar TradingView con tus accesos.',
	lastRun: 'Última ejecución',
	started: 'Inicio',
	by: 'Por',
	dailyJob: 'Tarea diaria',
	unknownUser: 'Un usuario antiguo',
	duration: 'Duración',
	seconds: '{seconds} s',
	result: 'Resultado',
	states: {
		running: 'En curso',
		done: 'Terminada',
		failed: 'Fallida'
	},
	scanned:
		'{indicators} indicadores, {entries} entradas de TradingView, {grants} accesos comparados.',
	failed: 'La ejecución se detuvo: {error}',
	warning: 'Terminada con un aviso: {error}',
	noDrift: 'Sin diferencias: TradingView coincide con tus accesos.',
	report: 'Diferencias',
	kinds: {
		missing: 'Pagado pero ausente en TradingView',
		leak: 'En TradingView sin un acceso abierto',
		expiry_mismatch: 'Vencimiento distinto',
		unknown_user: 'No está en PineGate'
	},
	kindHelp: {
		missing:
			'El acceso está abierto en PineGate, pero TradingView no muestra al usuario. Corregir lo vuelve a enviar a TradingView.',
		leak: 'TradingView da un acceso que ningún acceso abierto respalda. Corregir quita al usuario del script en TradingView.',
		expiry_mismatch:
			'El vencimiento en TradingView no es el fin del acceso. Corregir pone en TradingView el fin del acceso.',
		unknown_user:
			'TradingView muestra un usuario que ningún cliente tiene. Importar crea el cliente con un acceso pagado que termina cuando termina el de TradingView.'
	},
	columns: {
		client: 'Cliente',
		indicator: 'Indicador',
		crmEnd: 'Fin en PineGate',
		tvEnd: 'Vencimiento en TradingView',
		action: 'Acción'
	},
	lifetime: 'De por vida',
	notListed: 'No aparece',
	noGrant: 'Sin acceso abierto',
	fix: 'Corregir',
	import: 'Importar como cliente',
	fixAll: 'Corregir todo',
	importAll: 'Importar todo',
	fixing: 'Corrigiendo…',
	fixLabel: 'Corregir: {username} en {indicator}',
	importLabel: 'Importar como cliente: {username}',
	fixAllLabel: '{action}: {kind}',
	fixes: {
		resynced: 'Enviado de nuevo a TradingView',
		removed: 'Quitado de TradingView',
		imported: 'Importado como cliente'
	},
	fixedBy: 'Por {name} el {date}',
	fixedNow: 'Corregido: {username} en {indicator}.',
	fixedAll: '{fixed} corregidas.',
	fixedSome: '{fixed} corregidas; {failed} no se pudieron corregir: {reason}'
};
