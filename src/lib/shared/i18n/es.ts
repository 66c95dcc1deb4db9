import type { Messages } from './en';
import { esAnalytics } from './es-analytics';
import { esAudit } from './es-audit';
import { esBackups } from './es-backups';
import { esBulk } from './es-bulk';
import { esCalendar } from './es-calendar';
import { esGrants } from './es-grants';
import { esJobs } from './es-jobs';
import { esDashboard } from './es-dashboard';
import { esNotifications } from './es-notifications';
import { esReconcile } from './es-reconcile';
import { esTradingview } from './es-tradingview';

/** Spanish messages; typed as `Messages` so a missing or extra key fails the type-check. */
export const es: Messages = {
	app: {
		name: 'PineGate',
		tagline: 'Clientes, indicadores y accesos de TradingView en un solo lugar',
		skipToContent: 'Saltar al contenido'
	},
	nav: {
		label: 'Principal',
		dashboard: 'Panel',
		clients: 'Clientes',
		indicators: 'Indicadores',
		accesses: 'Accesos',
		calendar: 'Calendario',
		analytics: 'Analítica',
		settings: 'Ajustes',
		users: 'Usuarios'
	},
	header: {
		language: 'Idioma',
		logOut: 'Cerrar sesión',
		loggingOut: 'Cerrando sesión…',
		account: 'Sesión iniciada como {name} ({role})',
		offline: 'Sin conexión',
		offlineHint:
			'Estás sin conexión. PineGate muestra lo que ya tiene este dispositivo; las acciones que necesitan el servidor volverán a funcionar cuando recuperes la conexión.'
	},
	languages: {
		en: 'English',
		es: 'Español'
	},
	roles: {
		admin: 'Administrador',
		seller: 'Vendedor',
		support: 'Soporte'
	},
	common: {
		save: 'Guardar',
		saving: 'Guardando…',
		cancel: 'Cancelar',
		loading: 'Cargando…',
		retry: 'Reintentar',
		dismiss: 'Cerrar aviso'
	},
	auth: {
		name: 'Nombre',
		email: 'Correo electrónico',
		password: 'Contraseña',
		logIn: 'Iniciar sesión',
		confirmPassword: 'Confirmar contraseña',
		passwordHint:
			'Al menos 10 caracteres. Unas cuantas palabras sin relación forman una contraseña fuerte y fácil de recordar.',
		loginTitle: 'Iniciar sesión',
		loginIntro: 'Entra con el correo electrónico y la contraseña que te dio tu administrador.',
		loggingIn: 'Iniciando sesión…',
		setupTitle: 'Configurar PineGate',
		setupIntro:
			'¡Bienvenido! Crea la primera cuenta de administrador. Después podrás invitar a tu equipo desde Usuarios.',
		setupSubmit: 'Crear cuenta',
		settingUp: 'Creando cuenta…',
		offlineNotice: 'Estás sin conexión. Para iniciar sesión hace falta conectar con el servidor.'
	},
	pages: {
		dashboard: {
			title: 'Panel',
			welcome: 'Hola, {name}',
			emptyTitle: 'Todavía no hay nada que mostrar',
			emptyBody:
				'Aquí verás tu resumen: accesos que caducan pronto, renovaciones recientes y ventas. Empieza añadiendo tus indicadores y después tus clientes.'
		},
		clients: {
			title: 'Clientes',
			emptyTitle: 'Aún no hay clientes',
			emptyBody:
				'Aquí aparecerán tus clientes con su usuario de TradingView, sus datos de contacto y los accesos que tienen.',
			emptyBodyEdit: 'Añade tu primer cliente o importa un CSV.',
			emptyBodyView: 'Tu equipo añadirá los clientes aquí; los verás en cuanto lo haga.'
		},
		indicators: {
			title: 'Indicadores',
			emptyTitle: 'Aún no hay indicadores',
			emptyBody:
				'Aquí aparecerán tus indicadores de TradingView solo por invitación, con su PUB ID, versión y estado.',
			emptyBodyEdit:
				'Añade tu primer indicador: elige Nuevo indicador y pega su PUB ID de TradingView.',
			emptyBodyView: 'Un administrador añade los indicadores; aparecerán aquí cuando lo haga.'
		},
		accesses: {
			title: 'Accesos',
			emptyTitle: 'Aún no hay accesos',
			emptyBody:
				'Aquí aparecerá cada acceso que concedas en TradingView, con su inicio, su caducidad y si TradingView lo confirmó.',
			emptyBodyNext:
				'Primero añade un indicador y un cliente; después podrás conceder accesos desde aquí.'
		},
		calendar: {
			title: 'Calendario',
			emptyTitle: 'Nada programado',
			emptyBody:
				'Aquí verás por días las próximas caducidades y renovaciones, para contactar a los clientes antes de que termine su acceso.',
			emptyBodyNext: 'Los accesos que concedas llenarán este calendario automáticamente.'
		},
		analytics: {
			title: 'Analítica',
			emptyTitle: 'Aún no hay datos que analizar',
			emptyBody:
				'Aquí aparecerán gráficos de accesos activos, tasa de renovación e ingresos por indicador cuando tengas clientes y accesos.',
			emptyBodyNext: 'Concede primero algunos accesos; las cifras se irán formando a partir de ahí.'
		},
		settings: {
			title: 'Ajustes',
			account: 'Tu cuenta'
		}
	},
	sessions: {
		title: 'Tus sesiones',
		intro:
			'Dispositivos en los que has iniciado sesión. Revoca los que no reconozcas; si revocas este dispositivo, se cerrará tu sesión.',
		device: 'Dispositivo',
		ip: 'Dirección IP',
		created: 'Inicio de sesión',
		lastSeen: 'Última actividad',
		thisDevice: 'Este dispositivo',
		revoke: 'Revocar',
		revokeLabel: 'Revocar la sesión en {device}',
		revoked: 'Sesión revocada.',
		unknownDevice: 'Dispositivo desconocido',
		unknownIp: 'Desconocida',
		deviceOn: '{browser} en {os}',
		empty: 'No hay sesiones activas.'
	},
	users: {
		title: 'Usuarios',
		intro:
			'Cuentas del equipo. Los administradores lo gestionan todo; los vendedores, clientes y accesos; soporte renueva accesos.',
		newUser: 'Nuevo usuario',
		formTitle: 'Nuevo usuario',
		roleHint: 'Lo que puede hacer esta persona; puedes cambiarlo más tarde.',
		columnName: 'Nombre',
		columnEmail: 'Correo electrónico',
		columnRole: 'Rol',
		columnStatus: 'Estado',
		role: 'Rol',
		roleFor: 'Permisos de {name}',
		active: 'Activo',
		disabled: 'Desactivado',
		disable: 'Desactivar',
		enable: 'Activar',
		you: 'Tú',
		created: '{name} ya puede iniciar sesión con {email}.',
		roleChanged: '{name} ahora es {role}.',
		disabledDone: '{name} está desactivado y se han cerrado todas sus sesiones.',
		enabledDone: '{name} puede volver a iniciar sesión.',
		empty: 'Aún no hay usuarios.',
		notAllowedTitle: 'No permitido',
		notAllowed:
			'Solo los administradores pueden gestionar usuarios. Pide a un administrador que haga el cambio que necesitas.'
	},
	indicators: {
		newIndicator: 'Nuevo indicador',
		changesTitle: 'Cambios en los datos',
		name: 'Nombre',
		pubId: 'PUB ID',
		version: 'Versión',
		status: 'Estado',
		description: 'Descripción',
		intro:
			'Tus indicadores de TradingView solo por invitación: su PUB ID, versión actual, estado y cuántos clientes los usan.',
		statuses: {
			development: 'En desarrollo',
			production: 'En producción',
			retired: 'Retirado'
		},
		pubIdStates: {
			unverified: 'Sin verificar',
			valid: 'Verificado',
			invalid: 'No encontrado en TradingView'
		},
		pubIdStateLabel: 'Comprobación del PUB ID: {state}',
		pubIdStateHint:
			'PineGate comprueba los PUB ID en TradingView cuando la conexión con TradingView está configurada.',
		lastUpdated: 'Última actualización',
		activeUsers: 'Usuarios activos',
		none: '—',
		list: {
			filterStatus: 'Filtrar por estado',
			allStatuses: 'Todos los estados',
			sortBy: 'Ordenar por',
			sortNameAsc: 'Nombre (A a Z)',
			sortNameDesc: 'Nombre (Z a A)',
			sortStatus: 'Estado (en uso primero)',
			sortStatusDesc: 'Estado (retirados primero)',
			sortByColumn: 'Ordenar por {column}',
			count: '{shown} de {total} indicadores',
			noMatchTitle: 'Ningún indicador coincide con este filtro',
			noMatchBody: 'Elige otro estado o muestra todos los indicadores.',
			showAll: 'Mostrar todos'
		},
		form: {
			newTitle: 'Nuevo indicador',
			editTitle: 'Editar {name}',
			pubIdHint:
				'PUB; seguido de 32 letras y números, tal como lo muestra TradingView para el script.',
			versionHint: 'Opcional, como 1.0. Será la primera entrada del historial de versiones.',
			versionHintEdit:
				'Corrige la versión actual sin añadirla al historial. Para publicar una versión nueva, usa Publicar versión en la página del indicador.',
			pubIdTakenLink: 'Abrir {name}, que tiene este PUB ID',
			notAllowedTitle: 'No permitido',
			notAllowed:
				'Solo los administradores pueden añadir o editar indicadores. Pide a un administrador que haga el cambio.'
		},
		page: {
			back: 'Todos los indicadores',
			details: 'Detalles',
			edit: 'Editar',
			added: 'Añadido',
			noVersion: 'Sin versión todavía',
			noDescription: 'Sin descripción.',
			notFoundTitle: 'Indicador no encontrado',
			notFoundBody:
				'No hay ningún indicador en esta dirección en este dispositivo. Puede que se haya eliminado o que el enlace esté incompleto. Si se acaba de añadir en otro dispositivo, aparecerá aquí tras la próxima sincronización.',
			metricsTitle: 'Uso',
			activeUsersHint: 'Accesos abiertos: activos o por vencer.',
			expiring: 'Vencen en 7 días',
			expiringHint: 'Accesos abiertos que terminan en una semana.',
			totalGrants: 'Accesos totales',
			totalGrantsHint: 'Todos los accesos concedidos, incluidos los terminados y revocados.',
			renewalRate: 'Tasa de renovación',
			renewalRateDetail: '{renewed} de {total} periodos terminados se renovaron.',
			renewalRateNone: 'Todavía no ha terminado ningún periodo.'
		},
		release: {
			action: 'Publicar versión',
			title: 'Publicar una versión nueva',
			notes: 'Notas',
			notesHint: 'Qué ha cambiado, para tu equipo. Opcional.',
			submit: 'Publicar',
			releasing: 'Publicando…',
			released: 'Versión {version} publicada.',
			exists:
				'La versión {version} ya se publicó para este indicador. Usa un número de versión nuevo.'
		},
		history: {
			title: 'Historial de versiones',
			empty: 'Todavía no se ha publicado ninguna versión.',
			current: 'Actual',
			releasedOn: 'Publicada el {date}'
		},
		retire: {
			action: 'Retirar',
			title: '¿Retirar {name}?',
			body: 'Los clientes con acceso lo conservan hasta que termine. No se aceptarán accesos nuevos ni renovaciones para este indicador.',
			undo: 'Más adelante puedes volver a ofrecerlo cambiando su estado.',
			confirm: 'Retirar indicador',
			retiring: 'Retirando…',
			done: '{name} está retirado.',
			notice:
				'Retirado: los accesos abiertos siguen hasta su fin; no se aceptan accesos nuevos ni renovaciones.'
		}
	},
	update: {
		available: 'Nueva versión disponible',
		body: 'Recarga para usarla. No se pierde nada de lo que hayas guardado.',
		reload: 'Recargar',
		reloading: 'Recargando…'
	},
	sync: {
		status: {
			synced: 'Sincronizado',
			syncing: 'Sincronizando…',
			offline: 'Sin conexión',
			pending: 'Pendientes: {count}',
			stalled: 'Sincronización detenida',
			error: 'Error de sincronización',
			pausedAuth: 'Sincronización en pausa',
			updateRequired: 'Actualización necesaria'
		},
		explain: {
			synced: 'Todo lo de este dispositivo está guardado en el servidor.',
			syncing: 'Enviando y recibiendo cambios…',
			offline:
				'No se puede contactar con el servidor. Tus cambios se guardan en este dispositivo y se enviarán cuando vuelva la conexión.',
			pending: 'Hay cambios esperando a enviarse al servidor.',
			stalled:
				'Sincronización detenida: hay cambios que llevan más de un minuto sin llegar al servidor. PineGate sigue intentándolo; revisa tu conexión.',
			error: 'La última sincronización falló. PineGate lo vuelve a intentar automáticamente.',
			pausedAuth:
				'La sincronización está en pausa porque tu sesión terminó. Vuelve a iniciar sesión; no se pierde nada.',
			updateRequired:
				'Esta versión de PineGate es demasiado antigua para el servidor: recarga para actualizar. Tus cambios sin sincronizar se conservan.'
		},
		panelTitle: 'Sincronización',
		close: 'Cerrar',
		lastSynced: 'Última sincronización {time}',
		neverSynced: 'Aún no se ha sincronizado en este dispositivo',
		nextAttempt: 'Próximo intento {time}.',
		syncNow: 'Sincronizar ahora',
		reload: 'Recargar',
		firstSync: 'Descargando tus datos: {received} de {total} registros',
		pendingTitle: 'Esperando a enviarse',
		pendingEmpty: 'No hay cambios esperando.',
		sentAwaiting: 'enviado, esperando confirmación',
		rejectedTitle: 'Rechazados por el servidor',
		rejectedIntro:
			'Estos cambios no se guardaron. Corrige el registro y vuelve a intentarlo, o descarta el mensaje.',
		dependsOn: 'Dependía de un cambio anterior que fue rechazado.',
		openOther: 'Abrir el otro cliente',
		dismissLabel: 'Descartar: {what}',
		record: 'Registro {id}',
		longOffline:
			'Este dispositivo se sincronizó por última vez hace {days} días. Otras personas pueden haber cambiado los mismos registros: cuando vuelvas a tener conexión, PineGate te mostrará los datos actuales con tus cambios encima y te preguntará antes de enviarlos.',
		held: 'Este dispositivo llevaba {days} días sin sincronizar. Tus {count} cambios se muestran sobre los datos actuales pero aún no se han enviado: revísalos y luego envíalos.',
		sendHeld: 'Enviar mis cambios',
		lostEdits:
			'Cambios sin sincronizar perdidos porque este navegador borró su almacenamiento: {count}. PineGate volvió a cargar todo desde el servidor; repite esos cambios si hace falta.',
		discardedEdits:
			'Cambios sin sincronizar del usuario anterior de este dispositivo, descartados al iniciar tu sesión: {count}.',
		storageFailed:
			'PineGate no puede usar el almacenamiento de este navegador, así que no puede guardar nada sin conexión. Comprueba que el almacenamiento no esté bloqueado para este sitio y recarga.',
		justNow: 'ahora mismo',
		badge: {
			pending: 'Pendiente',
			pendingTitle: 'Guardado en este dispositivo, aún sin confirmar por el servidor',
			rejected: 'Rechazado: {reason}',
			overwritten: 'Tu cambio en {field} fue reemplazado por una edición posterior.'
		},
		mutations: {
			clientCreate: 'Nuevo cliente',
			clientUpdate: 'Edición de cliente',
			clientDelete: 'Eliminación de cliente',
			indicatorCreate: 'Nuevo indicador',
			indicatorUpdate: 'Edición de indicador',
			unknown: 'Cambio'
		},
		fields: {
			tradingviewUsername: 'Usuario de TradingView',
			email: 'Correo electrónico',
			fullName: 'Nombre completo',
			status: 'Estado',
			notes: 'Notas',
			name: 'Nombre',
			pubId: 'PUB ID',
			releaseVersion: 'Versión',
			description: 'Descripción'
		}
	},
	storage: {
		title: 'Almacenamiento',
		intro:
			'PineGate guarda tus datos en este dispositivo para funcionar sin conexión. El almacenamiento persistente evita que el navegador los borre para liberar espacio.',
		status: 'Almacenamiento persistente',
		granted: 'Activado: el navegador no borrará por su cuenta los datos de PineGate.',
		denied:
			'Desactivado: el navegador puede borrar los datos de PineGate cuando falte espacio y perder cambios sin sincronizar. Instala PineGate como aplicación o añádelo a marcadores y vuelve a pedirlo.',
		unsupported:
			'Este navegador no permite el almacenamiento persistente. Sincroniza a menudo para no perder cambios.',
		unknown: 'Comprobando…',
		askAgain: 'Volver a pedir',
		usage: 'Usando {used} de {quota} disponibles'
	},
	clients: {
		// stable
		title: 'Clientes',
		newClient: 'Nuevo cliente',
		search: 'Buscar',
		intro: 'Las personas que compran acceso a tus indicadores, con su usuario de TradingView.',
		fields: {
			// stable
			tradingviewUsername: 'Usuario de TradingView',
			email: 'Correo electrónico',
			fullName: 'Nombre completo',
			status: 'Estado',
			notes: 'Notas',
			registeredAt: 'Registrado'
		},
		statuses: {
			active: 'Activo',
			inactive: 'Inactivo'
		},
		tvStates: {
			unverified: 'sin verificar',
			valid: 'verificado',
			invalid: 'no existe en TradingView'
		},
		tvStateLabel: 'Comprobación en TradingView: {state}',
		tvStateHint:
			'PineGate comprueba los usuarios con TradingView cuando la conexión con TradingView está configurada.',
		list: {
			searchHint: 'Nombre, correo o usuario de TradingView',
			filters: 'Filtros',
			statusAll: 'Todos',
			from: 'Registrado desde',
			to: 'Registrado hasta',
			sortBy: 'Ordenar por',
			sortByColumn: 'Ordenar por {column}',
			sorts: {
				nameAsc: 'Nombre (A a Z)',
				nameDesc: 'Nombre (Z a A)',
				usernameAsc: 'Usuario (A a Z)',
				usernameDesc: 'Usuario (Z a A)',
				statusAsc: 'Estado (activos primero)',
				statusDesc: 'Estado (inactivos primero)',
				registeredDesc: 'Más recientes primero',
				registeredAsc: 'Más antiguos primero'
			},
			clearFilters: 'Quitar filtros',
			loading: 'Cargando clientes…',
			loadingAll: 'Cargando todos los clientes: {loaded} de {total}…',
			total: '{count} clientes',
			totalOne: '1 cliente',
			matching: '{count} de {total} clientes coinciden',
			matchingSearch: '{count} de {total} clientes coinciden con «{q}»',
			range: 'Mostrando {start}–{end} de {count}',
			pages: 'Páginas',
			previous: 'Página anterior',
			next: 'Página siguiente',
			pageOf: 'Página {page} de {pages}',
			noResultsTitle: 'Ningún cliente coincide',
			noResultsBody:
				'Nada coincide con esta búsqueda y estos filtros. Revisa la ortografía o quita los filtros.',
			importCsv: 'Importar CSV',
			exportCsv: 'Exportar CSV',
			exported: 'Se descargaron {count} clientes en {file}.'
		},
		form: {
			newTitle: 'Nuevo cliente',
			editTitle: 'Editar a {name}',
			usernameHint:
				'Como en TradingView, sin la @: letras, números, puntos, guiones y guiones bajos.',
			emailHint: 'Opcional. Se usa para los recordatorios.',
			notesHint: 'Opcional. Solo las ve tu equipo.',
			usernameTaken: 'Otro cliente ya tiene este usuario de TradingView.',
			emailTaken: 'Otro cliente ya tiene este correo electrónico.',
			openOther: 'Abrir ese cliente',
			created: 'Se añadió a {name}.',
			saved: 'Se guardaron los cambios de {name}.',
			notAllowedTitle: 'No permitido',
			notAllowed:
				'Tu rol puede ver los clientes, pero no añadirlos ni editarlos. Pídeselo a un administrador si lo necesitas.'
		},
		profile: {
			back: 'Todos los clientes',
			details: 'Datos',
			edit: 'Editar',
			updated: 'Última edición',
			notFoundTitle: 'Cliente no encontrado',
			notFoundBody:
				'No hay ningún cliente en esta dirección en este dispositivo. Puede que se haya eliminado o que el enlace esté incompleto. Si se acaba de añadir en otro dispositivo, aparecerá aquí tras la próxima sincronización.',
			accessesTitle: 'Accesos',
			currentAccesses: 'Accesos actuales',
			pastAccesses: 'Accesos anteriores',
			noAccesses:
				'Todavía no hay accesos. Los accesos que concedas a este cliente aparecerán aquí con su estado.',
			noCurrent: 'Ningún acceso actual.',
			noPast: 'Ningún acceso anterior.',
			lifetime: 'De por vida',
			fromTo: 'Del {from} al {to}',
			fromOn: 'Desde el {from}, sin fin',
			unknownIndicator: 'Indicador desconocido',
			grantStates: {
				active: 'activo',
				expiring: 'por vencer',
				expired: 'vencido',
				revoked: 'revocado'
			},
			accessTypes: {
				trial: 'Prueba',
				paid: 'De pago',
				complimentary: 'Cortesía'
			},
			historyTitle: 'Historial',
			historyGap:
				'Las ediciones anteriores al historial de ediciones solo aparecen como «Última edición de los datos».',
			events: {
				granted: 'Acceso a {indicator} concedido',
				renewed: 'Acceso a {indicator} renovado',
				revoked: 'Acceso a {indicator} revocado',
				expired: 'Acceso a {indicator} vencido',
				restored: 'Acceso a {indicator} restaurado',
				tv_verified: 'TradingView confirmó el acceso a {indicator}',
				tv_failed: 'TradingView no aceptó el acceso a {indicator}',
				conflict_flagged: 'Posible renovación doble de {indicator}',
				conflict_resolved: 'Renovación doble de {indicator} resuelta',
				created: 'Cliente añadido',
				updated: 'Última edición de los datos',
				edited: 'Datos editados'
			},
			editChange: '{field}: {before} → {after}',
			noValue: '—',
			someone: 'un miembro del equipo',
			endsChange: 'Fin: {from} → {to}',
			endsNew: 'Termina el {to}',
			by: 'por {actor}',
			system: 'PineGate (automático)',
			transactionsTitle: 'Transacciones',
			noTransactions: 'Todavía no hay transacciones.',
			transactionStatuses: {
				pending: 'pendiente',
				paid: 'pagada',
				failed: 'fallida',
				refunded: 'reembolsada'
			},
			notesTitle: 'Notas',
			noNotes: 'Sin notas.'
		},
		delete: {
			action: 'Eliminar cliente',
			title: '¿Eliminar a {name}?',
			body: 'El cliente desaparecerá de todos los dispositivos al sincronizar. No se puede deshacer.',
			confirm: 'Eliminar',
			deleting: 'Eliminando…',
			openGrants:
				'Este cliente tiene {count} accesos abiertos. Revócalos o usa Revocar todo y eliminar.',
			openGrantsOne: 'Este cliente tiene 1 acceso abierto. Revócalo o usa Revocar todo y eliminar.',
			revokeAll: 'Revocar todo y eliminar',
			revokingAll: 'Revocando y eliminando…',
			revokeAllReason: 'Cliente eliminado',
			done: 'Se eliminó a {name}.'
		},
		import: {
			title: 'Importar clientes',
			intro:
				'Añade muchos clientes a la vez desde un archivo CSV. Revisa la vista previa y luego importa las filas válidas; también funciona sin conexión.',
			file: 'Archivo CSV',
			fileHint:
				'La primera línea nombra las columnas: tradingview_username (o username), email, full_name (o name), status, notes. Solo el usuario es obligatorio.',
			reading: 'Leyendo el archivo…',
			previewTitle: 'Vista previa',
			summary:
				'{rows} filas: {valid} listas para importar, {invalid} con errores, {duplicates} duplicadas.',
			onlyProblems: 'Mostrar solo las filas con problemas',
			line: 'Línea',
			result: 'Resultado',
			ready: 'Lista',
			moreRows: 'Se muestran las primeras {shown} de {count} filas.',
			ignoredColumns: 'Columnas ignoradas: {columns}.',
			importValid: 'Importar {count} filas válidas',
			progress: 'Importando {done} de {total}…',
			done: 'Se importaron {count} clientes.',
			failed: 'No se importaron {count} filas:',
			failedRow: 'Línea {line}: {reason}',
			noValid: 'No se puede importar ninguna fila: corrige el archivo y vuelve a elegirlo.',
			empty: 'Este archivo no tiene filas para importar.',
			malformed:
				'No se pudo leer este archivo: un valor entre comillas que empieza en la línea {line} no termina. Corrige el archivo y vuelve a elegirlo.',
			missingUsername:
				'La primera línea debe nombrar una columna tradingview_username (o username). Añádela y vuelve a elegir el archivo.',
			unreadable: 'No se pudo leer este archivo. Elige un CSV guardado como texto (UTF-8).',
			usernameInFile: 'Mismo usuario de TradingView que la línea {line}.',
			emailInFile: 'Mismo correo electrónico que la línea {line}.',
			invalidField: '{field}: {message}'
		}
	},
	grants: esGrants,
	bulk: esBulk,
	calendar: esCalendar,
	dashboard: esDashboard,
	audit: esAudit,
	backups: esBackups,
	notifications: esNotifications,
	tradingview: esTradingview,
	reconcile: esReconcile,
	jobs: esJobs,
	analytics: esAnalytics,
	errorPage: {
		notFoundTitle: 'Página no encontrada',
		notFoundBody: 'Esta dirección no existe en PineGate. Revisa el enlace o vuelve al panel.',
		title: 'Algo salió mal',
		body: 'PineGate tuvo un problema inesperado. Recarga la página; si sigue ocurriendo, avisa a tu administrador.',
		reference: 'Referencia: {id}',
		home: 'Ir al panel'
	},
	errors: {
		UNAUTHENTICATED: 'Tu sesión ha terminado. Vuelve a iniciar sesión para continuar.',
		INVALID_CREDENTIALS:
			'Correo electrónico o contraseña incorrectos. Revisa ambos e inténtalo de nuevo.',
		SESSION_EXPIRED: 'Tu sesión ha caducado. Vuelve a iniciar sesión para continuar.',
		FORBIDDEN: 'Tu rol no permite hacer esto. Pídeselo a un administrador si lo necesitas.',
		ACCOUNT_DISABLED: 'Esta cuenta está desactivada. Pide a un administrador que la active.',
		SETUP_ALREADY_DONE: 'PineGate ya está configurado. Inicia sesión con tu cuenta.',
		FOREIGN_ORIGIN:
			'La petición venía de otro sitio y se ha rechazado. Abre PineGate desde su propia dirección.',
		VALIDATION: 'Hay campos que revisar. Corrígelos e inténtalo de nuevo.',
		NOT_FOUND:
			'Ese elemento ya no existe. Puede que se haya eliminado; recarga para ver la lista actual.',
		EMAIL_TAKEN: 'Ya existe un usuario con este correo electrónico. Usa otro.',
		LAST_ADMIN: 'Es el último administrador activo. Haz administrador a otra persona primero.',
		USERNAME_TAKEN:
			'Otro cliente ya tiene este usuario de TradingView. Abre ese cliente en su lugar.',
		CLIENT_EMAIL_TAKEN:
			'Otro cliente ya tiene este correo electrónico. Abre ese cliente o usa otro correo.',
		PUB_ID_TAKEN: 'Otro indicador ya tiene este PUB ID. Comprueba el ID en TradingView.',
		VERSION_EXISTS: 'Esta versión ya se publicó. Usa un número de versión nuevo.',
		ALREADY_EXISTS: 'Este elemento ya existe. Recarga para ver los datos actuales.',
		RECORD_DELETED: 'Este elemento se eliminó en otro dispositivo, así que el cambio no se guardó.',
		HAS_OPEN_GRANTS:
			'Este cliente aún tiene accesos abiertos. Revócalos o espera a que terminen primero.',
		CLIENT_INACTIVE:
			'{username} está inactivo, así que no se puede conceder ni renovar acceso. Activa el cliente primero.',
		INDICATOR_RETIRED:
			'{indicator} está retirado: no admite accesos nuevos ni renovaciones. Elige otro indicador.',
		GRANT_REVOKED:
			'Este acceso se revocó en otro dispositivo antes de que llegara tu renovación, así que no se aplicó. Concede el acceso de nuevo si debe continuar.',
		END_NOT_LATER:
			'La fecha de fin debe ser posterior a ahora y al fin actual. Elige una fecha posterior.',
		CONFLICT_RESOLVED: 'Alguien ya resolvió esta posible renovación doble.',
		TV_USERNAME_INVALID:
			'TradingView no conoce el usuario {username}, así que no se puede conceder acceso. Corrige primero el usuario de TradingView del cliente.',
		TV_NOT_CONNECTED:
			'TradingView no está conectado. Pega tus cookies sessionid y sessionid_sign en Ajustes → TradingView.',
		TV_SESSION_INVALID:
			'TradingView no aceptó la sesión: caducó o las cookies no son correctas. Inicia sesión en TradingView en tu navegador y pega de nuevo ambas cookies.',
		TV_SESSION_UNREADABLE:
			'Las cookies de TradingView guardadas no se pueden leer con la clave de este servidor (¿cambió SECRET_KEY?). Pégalas de nuevo.',
		TV_UNREACHABLE:
			'No se pudo contactar con TradingView. Revisa la conexión e inténtalo en un minuto.',
		TV_RATE_LIMITED: 'TradingView pide ir más despacio. Inténtalo de nuevo en {seconds} s.',
		TV_CAPTCHA:
			'TradingView pide un captcha para este inicio de sesión, y solo un navegador puede resolverlo. Inicia sesión allí y pega las dos cookies.',
		TV_INVALID_CREDENTIALS:
			'TradingView rechazó el usuario, la contraseña o el código. Revísalos; PineGate no reintenta por su cuenta.',
		TV_UNEXPECTED:
			'TradingView respondió de forma inesperada. Inténtalo más tarde; si sigue pasando, avisa a tu administrador.',
		RECONCILE_STALE:
			'Esta diferencia cambió desde la ejecución (se creó o cambió un acceso, o va camino de TradingView). Vuelve a ejecutar la conciliación.',
		RECONCILE_NOT_REMOVED:
			'TradingView sigue mostrando a {username} tras quitarlo. Inténtalo de nuevo en unos minutos.',
		UNKNOWN_MUTATOR:
			'El servidor no reconoce este cambio. Recarga PineGate para obtener la última versión.',
		DEPENDS_ON_REJECTED:
			'Este cambio dependía de otro anterior que fue rechazado, así que tampoco se guardó.',
		CLIENT_SCHEMA_UNSUPPORTED:
			'Esta copia de PineGate está desactualizada. Recarga para actualizarla e inténtalo de nuevo.',
		DEVICE_USER_MISMATCH:
			'Estos cambios los hizo otro usuario en este dispositivo. Inicia sesión como ese usuario para enviarlos.',
		SELF_CHANGE: 'No puedes cambiar tu propio rol ni desactivarte. Pídeselo a otro administrador.',
		BACKUPS_UNAVAILABLE:
			'Las copias de seguridad no están disponibles en este servidor ahora. Inténtalo de nuevo en un momento.',
		RATE_LIMITED: 'Demasiados intentos fallidos. Espera {minutes} min e inténtalo de nuevo.',
		INTERNAL:
			'El servidor tuvo un problema inesperado. Inténtalo de nuevo; si sigue ocurriendo, avisa a tu administrador.',
		OFFLINE:
			'No se puede conectar con el servidor: puede que estés sin conexión. Revisa tu conexión e inténtalo de nuevo.'
	},
	validation: {
		required: 'Este campo es obligatorio.',
		invalid: 'Este valor no es válido.',
		emailInvalid: 'Escribe un correo electrónico válido, como nombre@ejemplo.com.',
		emailTooLong: 'El correo electrónico es demasiado largo (254 caracteres como máximo).',
		passwordTooShort: 'La contraseña necesita al menos 10 caracteres.',
		passwordTooLong: 'La contraseña es demasiado larga (256 caracteres como máximo).',
		passwordMismatch: 'Las contraseñas no coinciden. Escribe la misma contraseña dos veces.',
		nameTooLong: 'El nombre es demasiado largo (120 caracteres como máximo).',
		tooLong: 'Este texto es demasiado largo. Acórtalo e inténtalo de nuevo.',
		usernameTooShort: 'El usuario de TradingView necesita al menos 2 caracteres.',
		usernameTooLong: 'El usuario de TradingView es demasiado largo (64 caracteres como máximo).',
		usernameChars:
			'Los usuarios de TradingView solo usan letras, números, puntos, guiones y guiones bajos.',
		statusInvalid: 'Elige uno de los estados de la lista.',
		emptyPatch: 'No hay cambios. Modifica algún campo antes de guardar.',
		pubIdFormat:
			'Un PUB ID tiene la forma PUB; seguido de 32 letras y números. Cópialo de TradingView.',
		roleInvalid: 'Elige un rol: Administrador, Vendedor o Soporte.',
		idInvalid: 'Este elemento no es válido. Recarga la página e inténtalo de nuevo.',
		durationInvalid: 'Elige una duración o una fecha de fin personalizada.',
		accessTypeInvalid: 'Elige un tipo de acceso: Prueba, Pago o Cortesía.',
		reasonRequired: 'Indica por qué se revoca el acceso.',
		indicatorsRequired: 'Elige al menos un indicador.',
		duplicateIndicator: 'Se eligió el mismo indicador dos veces.',
		tooMany: 'Demasiados elementos a la vez. Elige menos e inténtalo de nuevo.',
		twoFactorCode: 'Escribe el código de 6 dígitos de tu app de autenticación.'
	}
};
