import type { Templates } from './template';

/** Briefs, questions and bids. */
export const BRIEF_TEMPLATES: Pick<
  Templates,
  | 'brief.published'
  | 'brief.amended'
  | 'brief.cancelled'
  | 'brief.closing_soon'
  | 'question.answered'
  | 'bid.submitted'
  | 'bids.opened'
  | 'bid.awarded'
  | 'bid.not_selected'
> = {
  'brief.published': {
    en: {
      title: 'New brief: {briefTitle}',
      body: 'A new brief was published on Efir: “{briefTitle}”. Broadcaster: {broadcasterName}.\n\nRead the brief, ask your clarification questions before the questions deadline and submit your bid before bids close.',
    },
    ru: {
      title: 'Новый бриф: {briefTitle}',
      body: 'На Efir опубликован новый бриф «{briefTitle}». Заказчик: {broadcasterName}.\n\nОзнакомьтесь с брифом, задайте уточняющие вопросы до окончания приёма вопросов и подайте заявку до окончания приёма заявок.',
    },
    kk: {
      title: 'Жаңа бриф: {briefTitle}',
      body: 'Efir жүйесінде жаңа бриф жарияланды: «{briefTitle}». Тапсырыс беруші: {broadcasterName}.\n\nБрифпен танысып, нақтылау сұрақтарын сұрақтар қабылдау мерзімі аяқталғанға дейін қойыңыз, ал өтініміңізді өтінімдер қабылдау аяқталғанға дейін жіберіңіз.',
    },
  },
  'brief.amended': {
    en: {
      title: 'Brief amended: {briefTitle}',
      body: 'The brief “{briefTitle}” was amended.\n\nReason: {reason}\n\nRead the updated brief on Efir. If you had submitted a bid, it is back in draft: submit it again to confirm that it still stands.',
    },
    ru: {
      title: 'Изменения в брифе: {briefTitle}',
      body: 'В бриф «{briefTitle}» внесены изменения.\n\nПричина: {reason}\n\nОзнакомьтесь с обновлённым брифом на Efir. Если вы уже подали заявку, она возвращена в черновик: подайте её повторно, чтобы подтвердить, что она остаётся в силе.',
    },
    kk: {
      title: 'Брифке өзгерістер енгізілді: {briefTitle}',
      body: '«{briefTitle}» брифіне өзгерістер енгізілді.\n\nСебебі: {reason}\n\nEfir жүйесінде жаңартылған брифпен танысыңыз. Егер өтінім жіберіп қойған болсаңыз, ол қаралама күйіне қайтарылды: оның күшінде екенін растау үшін өтінімді қайта жіберіңіз.',
    },
  },
  'brief.cancelled': {
    en: {
      title: 'Brief cancelled: {briefTitle}',
      body: 'The broadcaster has cancelled the brief “{briefTitle}”.\n\nReason: {reason}\n\nBids for this brief will not be considered.',
    },
    ru: {
      title: 'Бриф отменён: {briefTitle}',
      body: 'Заказчик отменил бриф «{briefTitle}».\n\nПричина: {reason}\n\nЗаявки по этому брифу рассматриваться не будут.',
    },
    kk: {
      title: 'Бриф тоқтатылды: {briefTitle}',
      body: 'Тапсырыс беруші «{briefTitle}» брифін тоқтатты.\n\nСебебі: {reason}\n\nБұл бриф бойынша өтінімдер қаралмайды.',
    },
  },
  'brief.closing_soon': {
    en: {
      title: 'Bids close in 24 hours: {briefTitle}',
      body: 'Bids for the brief “{briefTitle}” close at {bidsCloseAt} (UTC). Your bid is still a draft: submit it before the deadline, or it will not be considered.',
    },
    ru: {
      title: 'Приём заявок закрывается через 24 часа: {briefTitle}',
      body: 'Приём заявок по брифу «{briefTitle}» закрывается {bidsCloseAt} (UTC). Ваша заявка всё ещё в черновике: подайте её до окончания срока, иначе она не будет рассмотрена.',
    },
    kk: {
      title: 'Өтінімдер қабылдау 24 сағаттан кейін аяқталады: {briefTitle}',
      body: '«{briefTitle}» брифі бойынша өтінімдер қабылдау {bidsCloseAt} (UTC) уақытында аяқталады. Өтініміңіз әлі қаралама күйінде: оны мерзім аяқталғанға дейін жіберіңіз, әйтпесе ол қаралмайды.',
    },
  },
  'question.answered': {
    en: {
      title: 'Question answered: {briefTitle}',
      body: 'The broadcaster has answered a clarification question on the brief “{briefTitle}”. The answer is visible to every studio that can see the brief; read it on Efir.',
    },
    ru: {
      title: 'Ответ на вопрос: {briefTitle}',
      body: 'Заказчик ответил на уточняющий вопрос по брифу «{briefTitle}». Ответ виден всем студиям, которым доступен бриф; ознакомьтесь с ним на Efir.',
    },
    kk: {
      title: 'Сұраққа жауап берілді: {briefTitle}',
      body: 'Тапсырыс беруші «{briefTitle}» брифі бойынша нақтылау сұрағына жауап берді. Жауапты брифті көре алатын барлық студия көреді; онымен Efir жүйесінде танысыңыз.',
    },
  },
  'bid.submitted': {
    en: {
      title: 'Bid submitted: {briefTitle}',
      body: 'Your studio’s bid for the brief “{briefTitle}” was submitted and sealed: nobody else can read it before bids close. Keep the receipt: at the bid opening it lets you check that your bid was not changed.',
    },
    ru: {
      title: 'Заявка подана: {briefTitle}',
      body: 'Заявка вашей студии по брифу «{briefTitle}» подана и запечатана: до окончания приёма заявок её не увидит никто, кроме вас. Сохраните квитанцию: при вскрытии заявок по ней можно проверить, что заявка не изменилась.',
    },
    kk: {
      title: 'Өтінім жіберілді: {briefTitle}',
      body: 'Студияңыздың «{briefTitle}» брифі бойынша өтінімі жіберіліп, мөрленді: өтінімдер қабылдау аяқталғанға дейін оны сізден басқа ешкім көрмейді. Түбіртекті сақтап қойыңыз: өтінімдер ашылғанда ол арқылы өтініміңіздің өзгермегенін тексеруге болады.',
    },
  },
  'bids.opened': {
    en: {
      title: 'Bids opened: {briefTitle}',
      body: 'Bidding on the brief “{briefTitle}” has closed and the bids were opened. Bids received: {bidCount}. The bid opening record is available on Efir.',
    },
    ru: {
      title: 'Заявки вскрыты: {briefTitle}',
      body: 'Приём заявок по брифу «{briefTitle}» завершён, заявки вскрыты. Получено заявок: {bidCount}. Протокол вскрытия заявок доступен на Efir.',
    },
    kk: {
      title: 'Өтінімдер ашылды: {briefTitle}',
      body: '«{briefTitle}» брифі бойынша өтінімдер қабылдау аяқталып, өтінімдер ашылды. Түскен өтінімдер саны: {bidCount}. Өтінімдерді ашу хаттамасы Efir жүйесінде қолжетімді.',
    },
  },
  'bid.awarded': {
    en: {
      title: 'Your bid won: {briefTitle}',
      body: 'Congratulations: your bid for the brief “{briefTitle}” was awarded. A draft contract was created from it (contract ID: {contractId}); review its terms and sign it on Efir.',
    },
    ru: {
      title: 'Ваша заявка победила: {briefTitle}',
      body: 'Поздравляем: ваша заявка по брифу «{briefTitle}» признана победившей. На её основе создан проект договора (ID договора: {contractId}); проверьте его условия и подпишите договор на Efir.',
    },
    kk: {
      title: 'Өтініміңіз жеңіске жетті: {briefTitle}',
      body: 'Құттықтаймыз: «{briefTitle}» брифі бойынша өтініміңіз жеңімпаз деп танылды. Оның негізінде келісімшарт жобасы жасалды (келісімшарт ID: {contractId}); Efir жүйесінде оның шарттарын тексеріп, келісімшартқа қол қойыңыз.',
    },
  },
  'bid.not_selected': {
    en: {
      title: 'Bid not selected: {briefTitle}',
      body: 'The brief “{briefTitle}” was awarded to another studio, so your bid was not selected. Thank you for taking part.',
    },
    ru: {
      title: 'Заявка не выбрана: {briefTitle}',
      body: 'По брифу «{briefTitle}» заказчик выбрал заявку другой студии, поэтому ваша заявка не выбрана. Благодарим за участие.',
    },
    kk: {
      title: 'Өтінім таңдалмады: {briefTitle}',
      body: '«{briefTitle}» брифі бойынша тапсырыс беруші басқа студияның өтінімін таңдады, сондықтан сіздің өтініміңіз таңдалмады. Қатысқаныңыз үшін рахмет.',
    },
  },
};
