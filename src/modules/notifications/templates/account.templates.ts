import type { Templates } from './template';

/** Notices about an account or an integration of the organisation. */
export const ACCOUNT_TEMPLATES: Pick<Templates, 'webhook.failed' | 'account.login_attack'> = {
  'webhook.failed': {
    en: {
      title: 'Webhook delivery failed: {url}',
      body: 'A {eventType} event could not be delivered to {url} after every retry. Check that the endpoint is reachable and answers with a 2xx status, then redeliver the event from the deliveries list.',
    },
    ru: {
      title: 'Не удалось доставить вебхук: {url}',
      body: 'Событие {eventType} не удалось доставить на {url} после всех повторных попыток. Убедитесь, что адрес доступен и отвечает статусом 2xx, затем отправьте событие повторно из списка доставок.',
    },
    kk: {
      title: 'Вебхук жеткізілмеді: {url}',
      body: '{eventType} оқиғасын барлық қайталама әрекеттерден кейін де {url} адресіне жеткізу мүмкін болмады. Адрестің қолжетімді екенін және 2xx күйімен жауап беретінін тексеріп, оқиғаны жеткізілімдер тізімінен қайта жіберіңіз.',
    },
  },
  // Sent to the account's owner when its failed logins reach LOGIN_RATE_LIMIT_ACCOUNT_CEILING.
  // No addresses: they are other people's, and an attacker's are of no use to the owner.
  'account.login_attack': {
    en: {
      title: 'Failed sign-in attempts on your Efir account',
      body: 'Someone has repeatedly tried to sign in to your Efir account with a wrong password. Failed attempts in the last {windowMinutes} min: {failures}; network addresses they came from: {addresses}. Sign-in from those addresses is paused for a while; you can still sign in as usual from your own device.\n\nIf these attempts were not yours, someone may be trying to guess your password; if it is short or you use it on other sites too, tell your organisation’s administrator.',
    },
    ru: {
      title: 'Неудачные попытки входа в ваш аккаунт Efir',
      body: 'Кто-то несколько раз пытался войти в ваш аккаунт Efir с неверным паролем. За последние {windowMinutes} мин. неудачных попыток: {failures}, сетевых адресов: {addresses}. Вход с этих адресов временно приостановлен; со своего устройства вы можете войти как обычно.\n\nЕсли это были не вы, возможно, кто-то пытается подобрать ваш пароль; если он короткий или вы используете его и на других сайтах, сообщите об этом администратору вашей организации.',
    },
    kk: {
      title: 'Efir аккаунтыңызға кіру әрекеттері сәтсіз аяқталды',
      body: 'Біреу Efir аккаунтыңызға қате құпиясөзбен бірнеше рет кіруге тырысты. Соңғы {windowMinutes} минут ішінде сәтсіз әрекеттер саны: {failures}, желілік адрестер саны: {addresses}. Бұл адрестерден кіру уақытша тоқтатылды; өз құрылғыңыздан әдеттегідей кіре аласыз.\n\nЕгер бұл әрекеттерді сіз жасамасаңыз, біреу құпиясөзіңізді табуға тырысуы мүмкін; құпиясөзіңіз қысқа болса немесе оны басқа сайттарда да қолдансаңыз, бұл туралы ұйымыңыздың әкімшісіне хабарлаңыз.',
    },
  },
};
