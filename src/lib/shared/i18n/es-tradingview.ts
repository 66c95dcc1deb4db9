import type { Messages } from './en';

export const esTradingview: Messages['tradingview'] = {
	title: 'TradingView',
	intro:
		'PineGate concede y retira accesos en TradingView con la sesión de tu cuenta. Inicia sesión en TradingView en tu navegador y copia las dos cookies indicadas desde las herramientas de desarrollo (Aplicación → Cookies → tradingview.com).',
	status: {
		none: 'Sin conectar.',
		settings: 'Conectado con cookies guardadas el {date}.',
		env: 'Conectado con las cookies del entorno del servidor (TRADINGVIEW_SESSIONID).',
		unreadable:
			'Las cookies guardadas no se pueden leer con la clave de este servidor. Pégalas de nuevo.'
	},
	host: 'Las llamadas van a {host}.',
	sessionid: 'sessionid',
	sessionidSign: 'sessionid_sign',
	cookieHint: 'Pega solo el valor; «sessionid=» y las comillas se quitan solas.',
	save: 'Guardar y probar',
	saving: 'Guardando…',
	test: 'Probar conexión',
	testing: 'Probando…',
	clear: 'Quitar conexión',
	importScripts: 'Importar mis scripts',
	importing: 'Importando…',
	imported: '{created} scripts añadidos a Indicadores; {existing} ya estaban.',
	cleared: 'Se quitó la conexión con TradingView.',
	saved: 'Cookies guardadas.',
	ok: 'Conectado. Tu cuenta puede gestionar {count} scripts:',
	okNone: 'Conectado, pero esta cuenta no gestiona scripts solo por invitación.',
	unnamed: 'Script sin nombre',
	version: 'versión {version}',
	passwordTitle: 'O inicia sesión con tu contraseña de TradingView',
	passwordIntro:
		'Un solo intento, nunca repetido por su cuenta: TradingView bloquea las cuentas que inician sesión una y otra vez. Si pide un captcha, usa las cookies.',
	username: 'Usuario o email de TradingView',
	password: 'Contraseña de TradingView',
	logIn: 'Iniciar sesión en TradingView',
	loggingIn: 'Iniciando sesión…',
	code: 'Código de autenticación',
	codeHint: 'TradingView pide el código de 6 dígitos de tu verificación en dos pasos.',
	verify: 'Verificar código',
	connectedAs: 'Conectado como {username}.',
	adminOnly: 'Solo los administradores pueden ver y cambiar la conexión con TradingView.'
};
