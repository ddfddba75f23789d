"""Demo public course for young voters: "Your first vote", in Kazakh, Russian and English."""

from .content import (
    Course,
    CourseText,
    Lesson,
    LessonText,
    Module,
    ModuleText,
    bullets,
    callout,
    checklist,
    cite,
    law_excerpt,
    paragraphs,
    scenario,
)

WHO_CAN_VOTE = Lesson(
    slug="who-can-vote",
    minutes=10,
    text={
        "kk": LessonText(
            title="Кім дауыс бере алады",
            body=[
                paragraphs(
                    "Он сегіз жасқа толған Қазақстан Республикасының азаматы шыққан тегіне, "
                    "әлеуметтік және мүліктік жағдайына, ұлтына, жынысына, тіліне, дінге "
                    "көзқарасына және тұрғылықты жеріне қарамастан сайлауда дауыс беруге құқылы. "
                    "Бұл — жалпыға бірдей сайлау құқығы.",
                    "Сайлау төрт қағидатқа сүйенеді. Жалпыға бірдей: құқық барлық кәмелетке "
                    "толған азаматтарға тиесілі. Тең: әр сайлаушының бір дауысы бар, ол "
                    "басқалардың дауысымен бірдей. Тікелей: сайлаушы кандидатқа өзі дауыс береді. "
                    "Жасырын: сіздің қалай дауыс бергеніңізді ешкім бақылай алмайды.",
                    "Сайлауға қатысу — ерікті. Ешкімнің сізді дауыс беруге немесе дауыс бермеуге "
                    "мәжбүрлеуге құқығы жоқ: оқу орнының да, жұмыс берушінің де, тіпті отбасының "
                    "да.",
                ),
                law_excerpt(
                    cite("kk", "3-бабы, 3-тармақ"),
                    "Республика азаматтарының сайлауға қатысуы ерікті болып табылады. Ешкімнің "
                    "азаматты сайлауға қатысуға немесе қатыспауға мәжбүрлеуге, сондай-ақ оның "
                    "ерік білдіруін шектеуге құқығы жоқ.",
                ),
                callout(
                    "tip",
                    "Сайлау күнінен бұрын өз учаскеңізді біліп алыңыз: ол тұрғылықты жеріңізге "
                    "қарай анықталады. Учаскелердің тізімі мен мекенжайларын сайлау комиссиялары "
                    "мен жергілікті әкімдіктер жариялайды.",
                ),
            ],
        ),
        "ru": LessonText(
            title="Кто может голосовать",
            body=[
                paragraphs(
                    "Гражданин Республики Казахстан, достигший восемнадцати лет, вправе "
                    "голосовать на выборах независимо от происхождения, социального и "
                    "имущественного положения, национальности, пола, языка, отношения к религии "
                    "и места жительства. Это всеобщее избирательное право.",
                    "Выборы держатся на четырёх принципах. Всеобщее: право принадлежит всем "
                    "совершеннолетним гражданам. Равное: у каждого избирателя один голос, и он "
                    "весит столько же, сколько любой другой. Прямое: избиратель голосует за "
                    "кандидата сам. Тайное: никто не может проконтролировать, как вы "
                    "проголосовали.",
                    "Участие в выборах добровольное. Никто не вправе принуждать вас голосовать "
                    "или не голосовать: ни учебное заведение, ни работодатель, ни даже семья.",
                ),
                law_excerpt(
                    cite("ru", "статья 3, пункт 3"),
                    "Участие граждан Республики в выборах является добровольным. Никто не вправе "
                    "принуждать гражданина к участию или неучастию в выборах, а также ограничивать "
                    "его волеизъявление.",
                ),
                callout(
                    "tip",
                    "Узнайте свой участок заранее: он определяется по месту жительства. Перечни и "
                    "адреса участков публикуют избирательные комиссии и местные акиматы.",
                ),
            ],
        ),
        "en": LessonText(
            title="Who can vote",
            body=[
                paragraphs(
                    "A citizen of the Republic of Kazakhstan who has reached the age of eighteen "
                    "may vote in elections whatever their origin, social and property status, "
                    "nationality, sex, language, attitude to religion or place of residence. This "
                    "is universal suffrage.",
                    "Elections rest on four principles. Universal: the right belongs to every "
                    "adult citizen. Equal: each voter has one vote, which weighs as much as "
                    "anyone else's. Direct: voters choose the candidate themselves. Secret: "
                    "nobody can check how you voted.",
                    "Taking part is voluntary. Nobody may force you to vote or not to vote — not "
                    "your school or university, not your employer, not even your family.",
                ),
                law_excerpt(
                    cite("en", "Article 3(3)"),
                    "Participation of citizens of the Republic in elections is voluntary. No one "
                    "may compel a citizen to take part or not to take part in elections, or "
                    "restrict the free expression of their will.",
                ),
                callout(
                    "tip",
                    "Find your polling station before election day: it depends on where you "
                    "live. Election commissions and local akimats publish the lists and "
                    "addresses of polling stations.",
                ),
            ],
        ),
    },
)

WHICH_ELECTIONS = Lesson(
    slug="which-elections-there-are",
    minutes=10,
    text={
        "kk": LessonText(
            title="Қандай сайлаулар болады",
            body=[
                paragraphs(
                    "Қазақстанда Республика Президенті, Парламент Мәжілісінің депутаттары, "
                    "мәслихаттардың депутаттары, сондай-ақ аудандардың, қалалардың, ауылдардың, "
                    "кенттер мен ауылдық округтердің әкімдері сайланады. Сенат депутаттары жанама "
                    "сайлау арқылы, яғни мәслихат депутаттарының дауысымен сайланады.",
                    "Сайлауды сайлау комиссиялары өткізеді: Орталық сайлау комиссиясы, "
                    "облыстардың, қалалар мен аудандардың аумақтық комиссиялары және учаскелік "
                    "комиссиялар. Дауыс беру күні учаскеде сізді учаскелік комиссияның мүшелері "
                    "қарсы алады.",
                    "Сайлау мен референдумды шатастырмаңыз: сайлауда біз адамдарды немесе "
                    "партияларды таңдаймыз, ал референдумда мемлекет өміріндегі маңызды мәселе "
                    "бойынша «иә» немесе «жоқ» деп жауап береміз.",
                ),
                scenario(
                    "Досыңыз: «Менің бір дауысым ештеңені шешпейді, бармай-ақ қояйын», — дейді.",
                    "Оған не деп жауап берер едіңіз?",
                    "Мәслихат немесе ауыл әкімі сайлауында жеңімпазды кейде бірнеше ондаған "
                    "дауыс анықтайды. Жастар аз қатысса, олар үшін маңызды мәселелер — оқу, жұмыс, "
                    "спорт алаңдары, көлік — кандидаттардың бағдарламасында да аз көрінеді.",
                    "Сонымен бірге қатысу — ерікті. Досыңызды мәжбүрлемеңіз, бірақ ақпарат "
                    "беріңіз: кандидаттардың бағдарламасымен танысуды, учаскесінің қайда екенін "
                    "біліп алуды ұсыныңыз.",
                ),
            ],
        ),
        "ru": LessonText(
            title="Какие бывают выборы",
            body=[
                paragraphs(
                    "В Казахстане избирают Президента Республики, депутатов Мажилиса Парламента, "
                    "депутатов маслихатов, а также акимов районов, городов, сёл, посёлков и "
                    "сельских округов. Депутатов Сената избирают косвенно — голосами депутатов "
                    "маслихатов.",
                    "Выборы проводят избирательные комиссии: Центральная избирательная комиссия, "
                    "территориальные комиссии областей, городов и районов и участковые комиссии. "
                    "В день голосования на участке вас встретят члены участковой комиссии.",
                    "Не путайте выборы и референдум: на выборах мы выбираем людей или партии, а "
                    "на референдуме отвечаем «да» или «нет» на важный для страны вопрос.",
                ),
                scenario(
                    "Друг говорит: «Мой один голос ничего не решает, не пойду».",
                    "Что бы вы ему ответили?",
                    "На выборах в маслихат или акима села победителя иногда определяют несколько "
                    "десятков голосов. Если молодёжь голосует мало, важные для неё темы — учёба, "
                    "работа, спортивные площадки, транспорт — мало заметны и в программах "
                    "кандидатов.",
                    "При этом участие добровольное. Не заставляйте друга, но поделитесь "
                    "информацией: предложите посмотреть программы кандидатов и узнать, где его "
                    "участок.",
                ),
            ],
        ),
        "en": LessonText(
            title="Which elections there are",
            body=[
                paragraphs(
                    "Kazakhstan elects the President of the Republic, the deputies of the "
                    "Mazhilis of Parliament, the deputies of maslikhats (local councils) and the "
                    "akims of districts, cities, villages, settlements and rural districts. "
                    "Senators are elected indirectly, by the votes of maslikhat deputies.",
                    "Elections are run by election commissions: the Central Election Commission, "
                    "territorial commissions of regions, cities and districts, and precinct "
                    "commissions. On election day you are met at the polling station by members "
                    "of the precinct commission.",
                    "Do not confuse an election with a referendum: in an election we choose "
                    "people or parties; in a referendum we answer “yes” or “no” to an important "
                    "question for the country.",
                ),
                scenario(
                    "A friend says: “My one vote decides nothing, I won't bother.”",
                    "What would you tell them?",
                    "In a maslikhat or village akim election the winner is sometimes decided by a "
                    "few dozen votes. When young people vote little, the issues that matter to "
                    "them — study, jobs, sports grounds, transport — show up little in the "
                    "candidates' programmes too.",
                    "At the same time, taking part is voluntary. Don't push your friend, but "
                    "share what you know: suggest they read the candidates' programmes and find "
                    "out where their polling station is.",
                ),
            ],
        ),
    },
)

AT_THE_STATION = Lesson(
    slug="at-the-polling-station",
    minutes=10,
    text={
        "kk": LessonText(
            title="Учаскеде не болады",
            body=[
                paragraphs(
                    "Учаскелер жергілікті уақыт бойынша сағат 7:00-ден 20:00-ге дейін ашық. "
                    "Өзіңізбен бірге жеке куәлігіңізді немесе паспортыңызды алыңыз: бюллетень тек "
                    "жеке басыңызды куәландыратын құжат бойынша беріледі.",
                    "Учаскеде сайлаушылар тізімінің сіздің мекенжайыңызға сәйкес бөліміне жауапты "
                    "комиссия мүшесіне барасыз. Ол сізді тізімнен тауып, құжатыңызды тексереді, "
                    "ал сіз бюллетеньді алғаныңызға тізімге қол қоясыз.",
                    "Бюллетеньді тек жасырын дауыс беру кабинасында толтырасыз: таңдаған "
                    "кандидатыңыздың тұсындағы шаршыға кез келген белгі қойыңыз. Толтырылған "
                    "бюллетеньді жәшікке өзіңіз саласыз. Бюллетеніңізді ешкімге көрсетудің "
                    "қажеті жоқ.",
                ),
                checklist(
                    "Дауыс беруге бару: жадынама",
                    "voting",
                    "Учаскеңіздің мекенжайын алдын ала біліп алыңыз.",
                    "Жеке куәлігіңізді немесе паспортыңызды алыңыз.",
                    "Тізімге қол қойып, бюллетеньді алыңыз.",
                    "Кабинада таңдаған кандидатыңыздың тұсындағы шаршыға бір белгі қойыңыз.",
                    "Бюллетеньді жәшікке өзіңіз салыңыз.",
                ),
                callout(
                    "tip",
                    "Толтырылған бюллетеньді суретке түсіріп, желіге салмаңыз: дауыс берудің "
                    "құпиясы — сіздің қорғанышыңыз, оны біреудің қысымынан сақтаңыз.",
                ),
            ],
        ),
        "ru": LessonText(
            title="Что происходит на участке",
            body=[
                paragraphs(
                    "Участки открыты с 7:00 до 20:00 по местному времени. Возьмите с собой "
                    "удостоверение личности или паспорт: бюллетень выдают только по документу, "
                    "удостоверяющему личность.",
                    "На участке вы подходите к члену комиссии, который отвечает за часть списка "
                    "избирателей с вашим адресом. Он находит вас в списке и проверяет документ, "
                    "а вы расписываетесь в списке за получение бюллетеня.",
                    "Бюллетень заполняется только в кабине для тайного голосования: поставьте "
                    "любой знак в квадрате напротив выбранного кандидата. Заполненный бюллетень "
                    "вы сами опускаете в урну. Показывать свой бюллетень никому не нужно.",
                ),
                checklist(
                    "Идём голосовать: памятка",
                    "voting",
                    "Заранее узнайте адрес своего участка.",
                    "Возьмите удостоверение личности или паспорт.",
                    "Распишитесь в списке и получите бюллетень.",
                    "В кабине поставьте один знак в квадрате напротив выбранного кандидата.",
                    "Сами опустите бюллетень в урну.",
                ),
                callout(
                    "tip",
                    "Не фотографируйте заполненный бюллетень и не выкладывайте его в сеть: тайна "
                    "голосования — ваша защита, берегите её от чужого давления.",
                ),
            ],
        ),
        "en": LessonText(
            title="What happens at the polling station",
            body=[
                paragraphs(
                    "Polling stations are open from 7:00 to 20:00 local time. Take your identity "
                    "card or passport: a ballot is given only on a document that proves who you "
                    "are.",
                    "At the polling station you go to the commission member in charge of the part "
                    "of the voter list with your address. They find you in the list and check "
                    "your document, and you sign the list for your ballot.",
                    "You fill in the ballot only in the secret voting booth: put any mark in the "
                    "box next to the candidate you choose. You put the completed ballot into the "
                    "ballot box yourself. You never need to show your ballot to anyone.",
                ),
                checklist(
                    "Going to vote: a reminder",
                    "voting",
                    "Find out your polling station's address in advance.",
                    "Take your identity card or passport.",
                    "Sign the list and take your ballot.",
                    "In the booth, put one mark in the box next to the candidate you choose.",
                    "Put the ballot into the ballot box yourself.",
                ),
                callout(
                    "tip",
                    "Do not photograph your completed ballot or post it online: the secrecy of "
                    "your vote protects you, so keep it safe from anyone's pressure.",
                ),
            ],
        ),
    },
)

FALSE_INFORMATION = Lesson(
    slug="spotting-false-information",
    minutes=12,
    text={
        "kk": LessonText(
            title="Жалған ақпаратты ажырату",
            body=[
                paragraphs(
                    "Сайлау алдында әлеуметтік желілерде «учаскелердің жұмыс уақыты өзгерді», "
                    "«дауысты SMS арқылы беруге болады» деген сияқты хабарлар тарауы мүмкін. "
                    "Олардың мақсаты — сайлаушыларды шатастыру немесе учаскеге келмеуге көндіру.",
                    "Ресми ақпарат көзі — Орталық сайлау комиссиясы және сіздің аумақтық сайлау "
                    "комиссияңыз. Күмәнді хабарды ресми сайттан немесе учаскелік комиссиядан "
                    "тексеріңіз, ал тексермейінше басқаларға таратпаңыз.",
                    "Дипфейк — жасанды интеллект жасаған жалған бейне немесе дауыс жазбасы. "
                    "Бейнеде кандидат немесе комиссия төрағасы ешқашан айтпаған сөзді «айтуы» "
                    "мүмкін. Ерін қимылы мен дыбыстың сәйкессіздігіне, бейтаныс парақшаға, "
                    "асықтыратын немесе ашуландыратын үнге назар аударыңыз.",
                ),
                bullets(
                    "Хабарды бөліспес бұрын үш сұрақ қойыңыз:",
                    "Кім жариялады? Бұл ресми дереккөз бе?",
                    "Басқа сенімді дереккөздер де осыны айтып жатыр ма?",
                    "Хабар мені асықтыруға немесе ашуландыруға тырысып тұрған жоқ па?",
                ),
                scenario(
                    "Сайлау күні таңертең сыныптастар чатына таныс дауыспен аудиохабар келеді: "
                    "«Біздің учаскеде бюллетень бітіп қалды, келудің керегі жоқ».",
                    "Не істейсіз?",
                    "Хабарды бірден әрі қарай жібермеңіз. «Бюллетень бітіп қалды» деген хабар — "
                    "сайлаушыларды учаскеге келмеуге көндірудің белгілі тәсілі. Бюллетеньдер әр "
                    "учаскеге сайлаушылар санына қарай резервпен беріледі.",
                    "Учаскелік немесе аумақтық комиссияның ресми байланысы арқылы тексеріңіз, "
                    "немесе жай ғана учаскеге барыңыз. Хабардың жалған екені анықталса, бұл "
                    "туралы чатқа жазып, ресми ақпаратты көрсетіңіз.",
                ),
            ],
        ),
        "ru": LessonText(
            title="Как распознать ложную информацию",
            body=[
                paragraphs(
                    "Перед выборами в соцсетях могут появиться сообщения вроде «участки будут "
                    "работать по другому графику» или «проголосовать можно по SMS». Их цель — "
                    "запутать избирателей или убедить их не приходить на участок.",
                    "Официальные источники — Центральная избирательная комиссия и ваша "
                    "территориальная избирательная комиссия. Проверяйте сомнительное сообщение "
                    "на официальном сайте или в участковой комиссии и не пересылайте его, пока не "
                    "проверили.",
                    "Дипфейк — поддельное видео или аудио, созданное искусственным интеллектом. На "
                    "видео кандидат или председатель комиссии может «сказать» то, чего никогда не "
                    "говорил. Обращайте внимание на несовпадение движения губ и звука, незнакомую "
                    "страницу, тон, который торопит или злит.",
                ),
                bullets(
                    "Прежде чем поделиться сообщением, задайте три вопроса:",
                    "Кто это опубликовал? Это официальный источник?",
                    "Говорят ли то же самое другие надёжные источники?",
                    "Не пытается ли сообщение меня поторопить или разозлить?",
                ),
                scenario(
                    "Утром в день выборов в чат одноклассников приходит голосовое сообщение "
                    "знакомым голосом: «На нашем участке кончились бюллетени, приходить не надо».",
                    "Что вы сделаете?",
                    "Не пересылайте сообщение сразу. «Кончились бюллетени» — известный способ "
                    "отговорить избирателей от похода на участок. Бюллетени поступают на каждый "
                    "участок по числу избирателей и с резервом.",
                    "Проверьте через официальные контакты участковой или территориальной "
                    "комиссии или просто сходите на участок. Если сообщение оказалось ложным, "
                    "напишите об этом в чат и приведите официальную информацию.",
                ),
            ],
        ),
        "en": LessonText(
            title="Spotting false information",
            body=[
                paragraphs(
                    "Before an election, messages such as “polling stations will keep different "
                    "hours” or “you can vote by text message” may spread on social media. Their "
                    "aim is to confuse voters or persuade them to stay at home.",
                    "The official sources are the Central Election Commission and your "
                    "territorial election commission. Check a doubtful message on the official "
                    "website or with the precinct commission, and do not pass it on until you "
                    "have.",
                    "A deepfake is a fake video or audio recording made with artificial "
                    "intelligence. In it a candidate or a commission chair may “say” something "
                    "they never said. Watch for lips that do not match the sound, an unfamiliar "
                    "account, and a tone that hurries you or makes you angry.",
                ),
                bullets(
                    "Before sharing a message, ask three questions:",
                    "Who published it? Is it an official source?",
                    "Do other reliable sources say the same?",
                    "Is the message trying to hurry me or make me angry?",
                ),
                scenario(
                    "On election morning a voice message in a familiar voice arrives in your "
                    "class chat: “Our polling station has run out of ballots, don't bother "
                    "coming.”",
                    "What do you do?",
                    "Do not forward it straight away. “The ballots have run out” is a known way "
                    "to talk voters out of going. Every polling station receives ballots for all "
                    "its voters, with a reserve.",
                    "Check through the official contacts of the precinct or territorial "
                    "commission, or simply go to the polling station. If the message turns out "
                    "to be false, say so in the chat and point to the official information.",
                ),
            ],
        ),
    },
)

FIRST_VOTE = Course(
    slug="your-first-vote",
    minutes=45,
    is_public=True,
    text={
        "kk": CourseText(
            title="Сенің алғашқы дауысың",
            summary=(
                "Алғаш рет дауыс беретін жастарға: сайлау құқығы қалай жұмыс істейді, дауыс беру "
                "күні учаскеде не болады және жалған ақпаратты қалай ажыратуға болады."
            ),
        ),
        "ru": CourseText(
            title="Твой первый голос",
            summary=(
                "Для тех, кто голосует впервые: как устроено избирательное право, что происходит "
                "на участке в день голосования и как распознать ложную информацию."
            ),
        ),
        "en": CourseText(
            title="Your first vote",
            summary=(
                "For first-time voters: how the right to vote works, what happens at the polling "
                "station on election day and how to spot false information."
            ),
        ),
    },
    modules=[
        Module(
            slug="the-right-to-vote",
            text={
                "kk": ModuleText(
                    title="Сайлау құқығы",
                    summary="Кім дауыс бере алады және Қазақстанда кім сайланады.",
                ),
                "ru": ModuleText(
                    title="Избирательное право",
                    summary="Кто может голосовать и кого избирают в Казахстане.",
                ),
                "en": ModuleText(
                    title="The right to vote",
                    summary="Who can vote and who is elected in Kazakhstan.",
                ),
            },
            lessons=[WHO_CAN_VOTE, WHICH_ELECTIONS],
        ),
        Module(
            slug="election-day",
            text={
                "kk": ModuleText(
                    title="Дауыс беру күні",
                    summary="Учаскеде не болады және жалған хабарларға қалай алданбау керек.",
                ),
                "ru": ModuleText(
                    title="День голосования",
                    summary="Что происходит на участке и как не попасться на ложные сообщения.",
                ),
                "en": ModuleText(
                    title="Election day",
                    summary="What happens at the polling station and how not to fall for "
                    "false messages.",
                ),
            },
            lessons=[AT_THE_STATION, FALSE_INFORMATION],
        ),
    ],
)
