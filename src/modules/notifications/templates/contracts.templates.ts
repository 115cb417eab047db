import type { Templates } from './template';

/** Contracts, milestones and deliverables. */
export const CONTRACT_TEMPLATES: Pick<
  Templates,
  | 'contract.ready_to_sign'
  | 'contract.active'
  | 'milestone.submitted'
  | 'milestone.accepted'
  | 'milestone.changes_requested'
  | 'milestone.due_soon'
  | 'milestone.review_overdue'
  | 'deliverable.ready'
  | 'deliverable.rejected'
  | 'deliverable.qc_passed'
  | 'deliverable.qc_failed'
> = {
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
  'deliverable.qc_passed': {
    en: {
      title: 'QC passed: {fileName}',
      body: 'The technical QC of {fileName} (milestone “{milestoneTitle}”, contract ID: {contractId}) found no failure of a mandatory check. Warnings, if any, are listed in the QC report on Efir.',
    },
    ru: {
      title: 'Технический контроль пройден: {fileName}',
      body: 'Технический контроль файла {fileName} (этап «{milestoneTitle}», ID договора: {contractId}) не выявил нарушений обязательных требований. Предупреждения, если они есть, приведены в отчёте о контроле на Efir.',
    },
    kk: {
      title: 'Техникалық бақылаудан өтті: {fileName}',
      body: '{fileName} файлын техникалық бақылау («{milestoneTitle}» кезеңі, келісімшарт ID: {contractId}) міндетті талаптардың бұзылуын анықтаған жоқ. Ескертулер болса, олар Efir жүйесіндегі бақылау есебінде көрсетілген.',
    },
  },
  'deliverable.qc_failed': {
    en: {
      title: 'QC failed: {fileName}',
      body: 'The technical QC of {fileName} (milestone “{milestoneTitle}”, contract ID: {contractId}) did not pass. Failed checks (or why the file could not be measured): {failedChecks}.\n\nThe milestone cannot be accepted until a corrected file passes or the broadcaster waives these checks. The measured values are in the QC report on Efir.',
    },
    ru: {
      title: 'Технический контроль не пройден: {fileName}',
      body: 'Файл {fileName} (этап «{milestoneTitle}», ID договора: {contractId}) не прошёл технический контроль. Непройденные проверки (или причина, по которой файл не удалось измерить): {failedChecks}.\n\nЭтап не может быть принят, пока исправленный файл не пройдёт контроль или заказчик не сделает исключение для этих проверок. Измеренные значения приведены в отчёте о контроле на Efir.',
    },
    kk: {
      title: 'Техникалық бақылаудан өтпеді: {fileName}',
      body: '{fileName} файлы («{milestoneTitle}» кезеңі, келісімшарт ID: {contractId}) техникалық бақылаудан өтпеді. Өтпеген тексерулер (немесе файлды өлшеу мүмкін болмаған себеп): {failedChecks}.\n\nТүзетілген файл бақылаудан өткенше немесе тапсырыс беруші бұл тексерулерге ерекшелік жасағанша, кезең қабылданбайды. Өлшенген мәндер Efir жүйесіндегі бақылау есебінде көрсетілген.',
    },
  },
};
