"""Word pools for synthetic texts, titles and names in Latin, Cyrillic and Japanese script.

None of these words contains a marker word of :mod:`bench.generator` (``kmark…``, ``кметка``,
``鵺鶫``), so the planted markers are the only occurrences and search results have known sizes.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LATIN = _words(
    "the minister of foreign affairs declared that negotiations on a peace treaty would "
    "continue after the restoration of diplomatic relations between both governments delegation "
    "ambassador memorandum conversation fisheries convention islands territorial question "
    "repatriation prisoners war claims reparations trade agreement commission report telegram "
    "secret confidential draft article paragraph signed ratified protocol annex letter reply "
    "proposal counterproposal position instructions cabinet parliament committee chairman "
    "premier secretary general council meeting minutes session agenda discussion statement "
    "communique press release note verbale consulate embassy legation mission attache "
    "economic cooperation shipping harbour coast guard navy army security alliance neutrality "
    "united nations membership admission vote resolution assembly charter sovereignty "
    "boundary line map survey census records archive file folder copy original translation "
    "received sent forwarded attached enclosed urgent immediate reference previous following "
    "concerning regarding request approval rejection objection compromise settlement "
    "schedule visit arrival departure reception dinner speech toast address interview"
)

CYRILLIC = _words(
    "министр иностранных дел заявил что переговоры о мирном договоре будут продолжены после "
    "восстановления дипломатических отношений между правительствами делегация посол "
    "меморандум беседа рыболовство конвенция острова территориальный вопрос репатриация "
    "военнопленные претензии репарации торговое соглашение комиссия доклад телеграмма "
    "секретно проект статья пункт подписан ратифицирован протокол приложение письмо ответ "
    "предложение позиция указания кабинет парламент комитет председатель премьер секретарь "
    "совет заседание протокол повестка обсуждение заявление коммюнике нота консульство "
    "посольство миссия экономическое сотрудничество судоходство порт флот армия безопасность "
    "союз нейтралитет объединенные нации членство резолюция ассамблея устав суверенитет "
    "граница карта перепись архив фонд опись дело копия подлинник перевод получено "
    "отправлено приложено срочно ссылка касательно просьба одобрение возражение компромисс "
    "урегулирование визит прибытие отъезд прием обед речь интервью Хрущёв Громыко Булганин"
)

JAPANESE = _words(
    "外務大臣 日ソ 共同宣言 平和条約 締結 交渉 国交 回復 両国 政府 代表団 大使 覚書 会談 "
    "漁業 条約 北方 領土 問題 引揚 抑留者 請求権 賠償 通商 協定 委員会 報告 電報 極秘 草案 "
    "条文 第一項 署名 批准 議定書 附属書 書簡 回答 提案 対案 立場 訓令 内閣 国会 委員長 "
    "総理 書記長 会議 議事録 議題 討議 声明 公報 口上書 領事館 大使館 公使館 使節団 経済 "
    "協力 海運 港湾 海上保安 海軍 安全保障 同盟 中立 国際連合 加盟 決議 総会 憲章 主権 "
    "境界線 地図 調査 記録 文書 写し 原本 翻訳 受領 発送 添付 至急 照会 前回 関係 要請 "
    "承認 拒否 異議 妥協 解決 日程 訪問 到着 出発 歓迎会 晩餐会 演説 挨拶 談話 鳩山一郎 "
    "河野一郎 重光葵 松本俊一 モスクワ 東京 ロンドン 歯舞 色丹 国後 択捉 ですが であります"
)

GIVEN_LATIN = _words(
    "John Mary Robert Anne William Elizabeth James Margaret Charles Helen George Dorothy "
    "Henry Alice Edward Ruth Thomas Jean Arthur Louise Frank Marie Paul Claire Walter Grace"
)
FAMILY_LATIN = _words(
    "Smith Dulles Allison Brown Taylor Wilson Johnson Clark Lewis Walker Hall Young King "
    "Wright Green Baker Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker "
    "Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy Bailey Cooper"
)

# Russian names as (Cyrillic, BGN/PCGN romanization)
GIVEN_RU = (
    ("Андрей", "Andrey"),
    ("Николай", "Nikolay"),
    ("Сергей", "Sergey"),
    ("Иван", "Ivan"),
    ("Михаил", "Mikhail"),
    ("Алексей", "Aleksey"),
    ("Дмитрий", "Dmitriy"),
    ("Анна", "Anna"),
    ("Ольга", "Ol'ga"),
    ("Татьяна", "Tat'yana"),
    ("Пётр", "Pyotr"),
    ("Яков", "Yakov"),
)
FAMILY_RU = (
    ("Иванов", "Ivanov"),
    ("Петров", "Petrov"),
    ("Смирнов", "Smirnov"),
    ("Кузнецов", "Kuznetsov"),
    ("Попов", "Popov"),
    ("Соколов", "Sokolov"),
    ("Лебедев", "Lebedev"),
    ("Козлов", "Kozlov"),
    ("Новиков", "Novikov"),
    ("Морозов", "Morozov"),
    ("Волков", "Volkov"),
    ("Фёдоров", "Fyodorov"),
    ("Малик", "Malik"),
    ("Федоренко", "Fedorenko"),
)

# Japanese names as (kanji, kana reading, Hepburn)
GIVEN_JA = (
    ("一郎", "いちろう", "Ichiro"),
    ("茂", "しげる", "Shigeru"),
    ("俊一", "しゅんいち", "Shun'ichi"),
    ("葵", "まもる", "Mamoru"),
    ("和子", "かずこ", "Kazuko"),
    ("信介", "のぶすけ", "Nobusuke"),
    ("正", "ただし", "Tadashi"),
    ("博", "ひろし", "Hiroshi"),
    ("清", "きよし", "Kiyoshi"),
    ("美智子", "みちこ", "Michiko"),
    ("健一", "けんいち", "Ken'ichi"),
    ("幸子", "さちこ", "Sachiko"),
)
FAMILY_JA = (
    ("鳩山", "はとやま", "Hatoyama"),
    ("河野", "こうの", "Kono"),
    ("重光", "しげみつ", "Shigemitsu"),
    ("松本", "まつもと", "Matsumoto"),
    ("吉田", "よしだ", "Yoshida"),
    ("岸", "きし", "Kishi"),
    ("佐藤", "さとう", "Sato"),
    ("鈴木", "すずき", "Suzuki"),
    ("高橋", "たかはし", "Takahashi"),
    ("田中", "たなか", "Tanaka"),
    ("渡辺", "わたなべ", "Watanabe"),
    ("伊藤", "いとう", "Ito"),
    ("山本", "やまもと", "Yamamoto"),
    ("中村", "なかむら", "Nakamura"),
)

ORGANIZATION_HEADS = (
    "Ministry of",
    "Department of",
    "Bureau of",
    "Committee on",
    "Commission for",
    "Office of",
    "Council of",
    "Association for",
)
ORGANIZATION_TOPICS = (
    "Foreign Affairs",
    "Fisheries",
    "Trade",
    "Maritime Safety",
    "Repatriation",
    "Economic Cooperation",
    "Defence",
    "Information",
    "Cultural Relations",
    "Northern Territories",
    "Treaties",
    "Shipping",
)
