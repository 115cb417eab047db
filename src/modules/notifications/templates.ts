import type { NotificationData, NotificationType } from '../../shared/outbox/events';

export const MESSAGE_LANGUAGES = ['en', 'ru', 'kk'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export interface Template {
  /**
   * One line: the in-app title and the e-mail subject. `{name}` is replaced from the event data.
   */
  title: string;
  /**
   * The e-mail body, plain text; the HTML part is derived from it (a blank line starts a new
   * paragraph). Use only `{name}` placeholders that the event's data carries.
   */
  body: string;
}

type Templates = { readonly [T in NotificationType]: Readonly<Record<MessageLanguage, Template>> };

// Every notification type in every language. Product terms: brief = бриф / бриф, bid = заявка /
// өтінім, milestone = этап / кезең, deliverable = материал / материал, payout = выплата / төлем,
// invoice = счёт / шот, contract = договор / келісімшарт. No prices or bid content (sealed bids).
// Amounts are printed as the event gives them.
export const TEMPLATES: Templates = {
  'member.invited': {
    en: {
      title: 'You have been added to {organisationName}',
      body: 'You have been added to {organisationName} on Efir as {role}. Sign in with {email} and the password your administrator gave you, then change it.',
    },
    ru: {
      title: 'Вас добавили в {organisationName}',
      body: 'Вас добавили в {organisationName} на Efir с ролью {role}. Войдите с адресом {email} и паролем, который вам передал администратор, затем смените его.',
    },
    kk: {
      title: 'Сіз {organisationName} ұйымына қосылдыңыз',
      body: 'Сіз Efir жүйесінде {organisationName} ұйымына {role} рөлімен қосылдыңыз. {email} адресімен және әкімші берген құпиясөзбен кіріп, оны ауыстырыңыз.',
    },
  },
  'organisation.verified': {
    en: {
      title: '{organisationName} is verified',
      body: 'The Efir operator has verified {organisationName}. Your organisation now has full access to Efir.',
    },
    ru: {
      title: 'Организация {organisationName} подтверждена',
      body: 'Оператор Efir подтвердил организацию {organisationName}. Теперь вашей организации доступны все возможности Efir.',
    },
    kk: {
      title: '{organisationName} ұйымы расталды',
      body: 'Efir операторы {organisationName} ұйымын растады. Енді ұйымыңыз Efir мүмкіндіктерін толық пайдалана алады.',
    },
  },
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
  'contract.ready_to_sign': {
    en: {
      title: 'Contract ready to sign',
      body: 'The terms of a contract are ready for your organisation’s signature (contract ID: {contractId}). Review the terms and milestones on Efir and sign them; the contract becomes active when both parties have signed the same terms.',
    },
    ru: {
      title: 'Договор готов к подписанию',
      body: 'Условия договора готовы к подписанию вашей организацией (ID договора: {contractId}). Проверьте условия и этапы на Efir и подпишите договор: он вступит в силу, когда обе стороны подпишут одни и те же условия.',
    },
    kk: {
      title: 'Келісімшарт қол қоюға дайын',
      body: 'Келісімшарт шарттары ұйымыңыздың қол қоюына дайын (келісімшарт ID: {contractId}). Efir жүйесінде шарттар мен кезеңдерді тексеріп, қол қойыңыз: екі тарап бірдей шарттарға қол қойғанда, келісімшарт күшіне енеді.',
    },
  },
  'contract.active': {
    en: {
      title: 'Contract active',
      body: 'Both parties have signed the contract, and it is now active (contract ID: {contractId}). The studio will be reminded 3 days before each milestone is due.',
    },
    ru: {
      title: 'Договор вступил в силу',
      body: 'Обе стороны подписали договор, и он вступил в силу (ID договора: {contractId}). Студия получит напоминание за 3 дня до срока сдачи каждого этапа.',
    },
    kk: {
      title: 'Келісімшарт күшіне енді',
      body: 'Екі тарап та келісімшартқа қол қойды, ол күшіне енді (келісімшарт ID: {contractId}). Әр кезеңді тапсыру мерзіміне 3 күн қалғанда студия еске салу хабарламасын алады.',
    },
  },
  'milestone.submitted': {
    en: {
      title: 'Milestone submitted: {milestoneTitle}',
      body: 'The studio has submitted the milestone “{milestoneTitle}” for review (contract ID: {contractId}). Review its deliverables on Efir, then accept the milestone or request changes.',
    },
    ru: {
      title: 'Этап сдан на проверку: {milestoneTitle}',
      body: 'Студия сдала на проверку этап «{milestoneTitle}» (ID договора: {contractId}). Проверьте материалы этапа на Efir, затем примите этап или запросите доработку.',
    },
    kk: {
      title: 'Кезең тексеруге жіберілді: {milestoneTitle}',
      body: 'Студия «{milestoneTitle}» кезеңін тексеруге жіберді (келісімшарт ID: {contractId}). Efir жүйесінде кезең материалдарын тексеріп, кезеңді қабылдаңыз немесе түзетуді сұраңыз.',
    },
  },
  'milestone.accepted': {
    en: {
      title: 'Milestone accepted: {milestoneTitle}',
      body: 'The broadcaster has accepted the milestone “{milestoneTitle}” (contract ID: {contractId}). An invoice for this milestone will be issued to the broadcaster.',
    },
    ru: {
      title: 'Этап принят: {milestoneTitle}',
      body: 'Заказчик принял этап «{milestoneTitle}» (ID договора: {contractId}). Заказчику будет выставлен счёт за этот этап.',
    },
    kk: {
      title: 'Кезең қабылданды: {milestoneTitle}',
      body: 'Тапсырыс беруші «{milestoneTitle}» кезеңін қабылдады (келісімшарт ID: {contractId}). Бұл кезең үшін тапсырыс берушіге шот жазылады.',
    },
  },
  'milestone.changes_requested': {
    en: {
      title: 'Changes requested: {milestoneTitle}',
      body: 'The broadcaster has requested changes to the milestone “{milestoneTitle}” (contract ID: {contractId}).\n\nReviewer’s notes:\n{notes}\n\nMake the changes, upload the revised deliverables and submit the milestone again.',
    },
    ru: {
      title: 'Требуется доработка: {milestoneTitle}',
      body: 'Заказчик запросил доработку этапа «{milestoneTitle}» (ID договора: {contractId}).\n\nКомментарии проверяющего:\n{notes}\n\nВнесите изменения, загрузите исправленные материалы и снова сдайте этап на проверку.',
    },
    kk: {
      title: 'Түзету қажет: {milestoneTitle}',
      body: 'Тапсырыс беруші «{milestoneTitle}» кезеңін түзетуді сұрады (келісімшарт ID: {contractId}).\n\nТексерушінің ескертпелері:\n{notes}\n\nТүзетулерді енгізіп, жаңартылған материалдарды жүктеңіз де, кезеңді қайта тексеруге жіберіңіз.',
    },
  },
  'milestone.due_soon': {
    en: {
      title: 'Milestone due within 3 days: {milestoneTitle}',
      body: 'The milestone “{milestoneTitle}” is due within 3 days and has not been submitted yet (contract ID: {contractId}). Upload its deliverables and submit it for review before the due date.',
    },
    ru: {
      title: 'Срок сдачи этапа — в течение 3 дней: {milestoneTitle}',
      body: 'Этап «{milestoneTitle}» ещё не сдан, а срок его сдачи истекает в течение 3 дней (ID договора: {contractId}). Загрузите материалы и сдайте этап на проверку до срока.',
    },
    kk: {
      title: 'Кезеңді тапсыру мерзімі 3 күн ішінде аяқталады: {milestoneTitle}',
      body: '«{milestoneTitle}» кезеңі әлі тапсырылған жоқ, ал оны тапсыру мерзімі 3 күн ішінде аяқталады (келісімшарт ID: {contractId}). Мерзім аяқталғанға дейін материалдарды жүктеп, кезеңді тексеруге жіберіңіз.',
    },
  },
  'milestone.review_overdue': {
    en: {
      title: 'Review overdue: {milestoneTitle}',
      body: 'The milestone “{milestoneTitle}” submitted by the studio has not been reviewed in time (contract ID: {contractId}). Please make sure it is accepted or changes are requested; the delay counts in your organisation’s responsiveness figures.',
    },
    ru: {
      title: 'Просрочена проверка этапа: {milestoneTitle}',
      body: 'Этап «{milestoneTitle}», сданный студией, не проверен в срок (ID договора: {contractId}). Проследите, чтобы этап был принят или по нему была запрошена доработка: задержка учитывается в показателях оперативности вашей организации.',
    },
    kk: {
      title: 'Кезеңді тексеру мерзімі өтіп кетті: {milestoneTitle}',
      body: 'Студия тапсырған «{milestoneTitle}» кезеңі мерзімінде тексерілмеді (келісімшарт ID: {contractId}). Кезеңнің қабылдануын немесе оны түзету сұралуын қадағалаңыз: кешігу ұйымыңыздың жедел жауап беру көрсеткіштеріне есептеледі.',
    },
  },
  'deliverable.ready': {
    en: {
      title: 'Deliverable ready: {fileName}',
      body: 'The upload of {fileName} is complete, and its SHA-256 checksum and size match what was declared (contract ID: {contractId}). The deliverable can now be submitted with its milestone.',
    },
    ru: {
      title: 'Материал готов: {fileName}',
      body: 'Файл {fileName} загружен, его контрольная сумма SHA-256 и размер совпадают с заявленными (ID договора: {contractId}). Теперь материал можно сдать в составе этапа.',
    },
    kk: {
      title: 'Материал дайын: {fileName}',
      body: '{fileName} файлы жүктелді, оның SHA-256 бақылау сомасы мен өлшемі мәлімделген мәндерге сәйкес келеді (келісімшарт ID: {contractId}). Енді материалды кезең құрамында тапсыруға болады.',
    },
  },
  'deliverable.rejected': {
    en: {
      title: 'Deliverable rejected: {fileName}',
      body: 'The uploaded file {fileName} did not match the SHA-256 checksum or size declared for it, so it was rejected (contract ID: {contractId}). Check the file and upload it again.',
    },
    ru: {
      title: 'Материал отклонён: {fileName}',
      body: 'Загруженный файл {fileName} не совпал с заявленной контрольной суммой SHA-256 или размером, поэтому он отклонён (ID договора: {contractId}). Проверьте файл и загрузите его заново.',
    },
    kk: {
      title: 'Материал қабылданбады: {fileName}',
      body: 'Жүктелген {fileName} файлы мәлімделген SHA-256 бақылау сомасына немесе өлшеміне сәйкес келмеді, сондықтан қабылданбады (келісімшарт ID: {contractId}). Файлды тексеріп, қайта жүктеңіз.',
    },
  },
  'invoice.issued': {
    en: {
      title: 'Invoice issued',
      body: 'An invoice was issued to the broadcaster for an accepted milestone (contract ID: {contractId}). Invoice total: {total} {currency}.',
    },
    ru: {
      title: 'Выставлен счёт',
      body: 'Заказчику выставлен счёт за принятый этап (ID договора: {contractId}). Сумма счёта: {total} {currency}.',
    },
    kk: {
      title: 'Шот жазылды',
      body: 'Қабылданған кезең үшін тапсырыс берушіге шот жазылды (келісімшарт ID: {contractId}). Шоттың сомасы: {total} {currency}.',
    },
  },
  'invoice.overdue': {
    en: {
      title: 'Invoice unpaid for {days} days',
      body: 'An invoice of {total} {currency} (contract ID: {contractId}) has been open for {days} days. Please schedule its payout on Efir.',
    },
    ru: {
      title: 'Счёт не оплачен {days} дн.',
      body: 'Счёт на сумму {total} {currency} (ID договора: {contractId}) не оплачен уже {days} дн. Пожалуйста, запланируйте выплату на Efir.',
    },
    kk: {
      title: 'Шот {days} күн бойы төленбеген',
      body: '{total} {currency} сомасындағы шот (келісімшарт ID: {contractId}) {days} күн бойы төленбеген. Efir жүйесінде төлемді жоспарлаңыз.',
    },
  },
  'payout.approval_needed': {
    en: {
      title: 'Payout needs approval',
      body: 'A payout of {amount} {currency} is above the dual-approval threshold and needs the approval of a second finance user, other than the one who created it. Review it on Efir.',
    },
    ru: {
      title: 'Выплата ожидает утверждения',
      body: 'Выплата на сумму {amount} {currency} превышает порог двойного утверждения: её должен утвердить второй сотрудник финансовой службы, а не тот, кто её создал. Проверьте выплату на Efir.',
    },
    kk: {
      title: 'Төлем бекітуді күтуде',
      body: '{amount} {currency} сомасындағы төлем қос бекіту шегінен асады: оны төлемді жасаған қызметкер емес, қаржы бөлімінің басқа қызметкері бекітуі тиіс. Төлемді Efir жүйесінде тексеріңіз.',
    },
  },
  'payout.approved': {
    en: {
      title: 'Payout approved',
      body: 'A payout of {amount} {currency} was approved and is waiting to be paid by the broadcaster.',
    },
    ru: {
      title: 'Выплата утверждена',
      body: 'Выплата на сумму {amount} {currency} утверждена и ожидает перечисления заказчиком.',
    },
    kk: {
      title: 'Төлем бекітілді',
      body: '{amount} {currency} сомасындағы төлем бекітілді және тапсырыс берушінің аударуын күтуде.',
    },
  },
  'payout.paid': {
    en: {
      title: 'Payout paid',
      body: 'The broadcaster’s finance team has marked a payout of {amount} {currency} as paid.',
    },
    ru: {
      title: 'Выплата произведена',
      body: 'Финансовая служба заказчика отметила выплату на сумму {amount} {currency} как произведённую.',
    },
    kk: {
      title: 'Төлем жүргізілді',
      body: 'Тапсырыс берушінің қаржы бөлімі {amount} {currency} сомасындағы төлемді жүргізілді деп белгіледі.',
    },
  },
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

export interface RenderedMessage {
  title: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Money in event data is in minor units; messages show major units (150000000 KZT → 1 500 000.00).
const MONEY_KEYS = new Set(['amount', 'total']);

export function formatMinor(amount: number, currency: string): string {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    // an unknown code: two decimals
  }
  // Integer arithmetic: no floating point on money, even for display.
  const minor = BigInt(amount);
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  const unit = 10n ** BigInt(digits);
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+$)/g, '\u00a0');
  return digits ? `${sign}${whole}.${(abs % unit).toString().padStart(digits, '0')}` : `${sign}${whole}`;
}

function fill(template: string, data: NotificationData, escape: (s: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = Object.hasOwn(data, key) ? data[key] : undefined;
    if (v === undefined || v === null) return '';
    if (MONEY_KEYS.has(key) && typeof v === 'number' && typeof data.currency === 'string') {
      return escape(formatMinor(v, data.currency));
    }
    return escape(String(v));
  });
}

/** Blank lines separate paragraphs; a single line break (e.g. inside review notes) stays one. */
const paragraphs = (escaped: string): string =>
  escaped
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');

export function render(
  type: NotificationType,
  data: NotificationData,
  language: MessageLanguage,
): RenderedMessage {
  const t = TEMPLATES[type][language];
  const text = fill(t.body, data, (s) => s);
  return {
    // One line whatever the data holds: it is also the e-mail subject.
    title: fill(t.title, data, (s) => s)
      .replace(/\s+/g, ' ')
      .trim(),
    text: `${text}\n\n— Efir`,
    html: `<!doctype html><html><body>${paragraphs(fill(t.body, data, escapeHtml))}<p>— Efir</p></body></html>`,
  };
}
