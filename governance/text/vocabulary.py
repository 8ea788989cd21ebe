"""The words that make a change worth flagging, as data: read by ``flags``.

Each table lists ``(subject, pattern)``; a subject is the short, stable name a flag
carries ("opt-out", "location", "training"). English patterns are matched
case-insensitively between word boundaries; Chinese ones (``ZH_*``) without
boundaries, since Chinese has no spaces between words. Within one category, where two
matches overlap the longer wins ("opt out of arbitration" over "opt out", "will not"
over "will"), so put no boundary tricks in patterns to make that happen.

Every pattern was checked against the corpus (all consecutive version pairs; the judged
sample is tests/data/judged_changes.json): a term that fired mostly on unrelated words was
narrowed here, with a note saying why.
"""

# The corpus is Chinese for one service: full-width punctuation is data here.
# ruff: noqa: RUF001

# --- modality ---------------------------------------------------------------------
# (term as shown, class, pattern). A swap inside one class ("shall" -> "must",
# "may" -> "can") is a plain-language rewrite, not a shift of what the clause does;
# only a change of class is flagged. Classes: permits, obligates, advises, refrains.
PERMITS, OBLIGATES, ADVISES, REFRAINS = "permits", "obligates", "advises", "refrains"

EN_MODALS: tuple[tuple[str, str, str], ...] = (
    ("will not", REFRAINS, r"will\s+not|won['’]t|will\s+never"),
    ("shall not", REFRAINS, r"shall\s+not"),
    ("must not", REFRAINS, r"must\s+not|mustn['’]t"),
    ("may not", REFRAINS, r"may\s+not"),
    ("cannot", REFRAINS, r"cannot|can\s+not|can['’]t"),
    ("should not", REFRAINS, r"should\s+not|shouldn['’]t"),
    # "May" the month: never before a day or year, nor after a day ("1 May 2024").
    ("may", PERMITS, r"(?<!\d\s)(?<!\d)(?<!\d(?:st|nd|rd|th)\s)may(?!\s*\d)"),
    ("might", PERMITS, r"might"),
    ("can", PERMITS, r"can"),
    ("could", PERMITS, r"could"),
    # "at will" (employment), "free will", "goodwill" (a word of its own anyway).
    ("will", OBLIGATES, r"(?<!at\s)(?<!free\s)(?<!good\s)will"),
    # Not "if you would like to learn more": a courtesy, not a commitment.
    ("would", OBLIGATES, r"would(?!\s+(?:you\s+)?like)"),
    ("shall", OBLIGATES, r"shall"),
    ("must", OBLIGATES, r"must"),
    ("required to", OBLIGATES, r"(?:is|are|be)\s+required\s+to"),
    ("should", ADVISES, r"should"),
)

ZH_MODALS: tuple[tuple[str, str, str], ...] = (
    ("不得", REFRAINS, r"不得|禁止|不可以|不能"),
    ("不会", REFRAINS, r"不会|不将"),
    ("可能", PERMITS, r"可能|或将|或会"),
    ("可以", PERMITS, r"可以|有权"),
    ("将会", OBLIGATES, r"将会|将(?=[\u4e00-\u9fff]{1,4})(?!来|近)"),
    ("必须", OBLIGATES, r"必须|应当|应该|需要|须"),
)

# --- commitments of whole provisions -----------------------------------------------
# An added (or removed) provision is flagged for its modals only when it lays an
# obligation or prohibition on the user, or a prohibition on the company: the addressee,
# at most COMMITMENT_GAP words, then one of these ("You may not use the Service to ...",
# "Users must be 18", "We will not sell ..."). Weak modals (may, can, should, will) never
# count: nearly every new sentence has one. Each table is (subject as shown, pattern).
COMMITMENT_GAP = 4
# Not "your": "withdrawing your consent will not affect ...", "your backup will not
# delete ..." say what a thing does; nor "Customer Data shall be processed".
EN_USER_ADDRESSEES = r"you|users?|customers?(?!\s+(?:data|content|information|personal)\b)"
EN_COMPANY_ADDRESSEES = r"we"
# Not "you may not be able to", "you will not receive": predictions, not prohibitions.
_NOT_BE = r"(?!\s+(?:be|have|receive|get|see|need|lose|find|always)\b)"
EN_USER_COMMITMENTS: tuple[tuple[str, str], ...] = (
    ("must not", rf"(?:must\s+not|mustn['’]t){_NOT_BE}"),
    ("shall not", rf"shall\s+not{_NOT_BE}"),
    ("may not", rf"may\s+not{_NOT_BE}"),
    ("will not", rf"(?:will\s+not|won['’]t){_NOT_BE}"),
    ("cannot", rf"(?:cannot|can\s+not|can['’]t){_NOT_BE}"),
    ("prohibited from", r"(?:are|is|be)\s+(?:strictly\s+)?(?:prohibited|forbidden)\s+from"),
    ("agree not to", r"agree\s+not\s+to"),
    # Not "you agree to these Terms", "agree to be bound": the acceptance boilerplate.
    (
        "agree to",
        r"agree\s+to(?!\s+(?:the|these|this|our|any|all|such|be\s+bound|them|it)\b)",
    ),
    ("required to", r"(?:are|is|be)\s+required\s+to"),
    ("must", r"must"),
    ("shall", r"shall(?!\s+have\b)"),  # "you shall have 30 days": a right
)
# The strong modals, of any clause: their arrival or departure alone is major (summary)
# and titles group them as prohibitions and obligations.
STRONG_PROHIBITIONS = frozenset(
    {"must not", "shall not", "may not", "cannot", "will not", "prohibited from",
     "agree not to", "do not sell", "do not share"}
)  # fmt: skip
STRONG_OBLIGATIONS = frozenset({"must", "shall", "required to", "agree to"})
# Not "we will not be liable", "we cannot guarantee": disclaimers, not commitments.
EN_COMPANY_COMMITMENTS: tuple[tuple[str, str], ...] = (
    ("will not", rf"(?:will\s+not|won['’]t|will\s+never){_NOT_BE}"),
    ("shall not", rf"shall\s+not{_NOT_BE}"),
    ("do not sell", r"(?:do\s+not|don['’]t|never)\s+(?:sell|rent)"),
    ("do not share", r"(?:do\s+not|don['’]t|never)\s+share"),
)

# --- negation ---------------------------------------------------------------------
# Negations inside a modal ("will not") are the modal's: flags drops the overlap.
EN_NEGATIONS: tuple[tuple[str, str], ...] = (
    # Not the boilerplate "including but not limited to", "whether or not".
    (
        "not",
        r"(?<!whether\sor\s)not(?!\s+limited\s+to)|do\s+not|does\s+not|(?:do|does|did|is|are|was|were|has|have)n['’]t",
    ),
    ("never", r"never"),
    ("no longer", r"no\s+longer"),
)
ZH_NEGATIONS: tuple[tuple[str, str], ...] = (
    ("不", r"(?:绝|决|从|并)不|不(?:再|予|以|对|向|用于|出售|共享|收集|使用|提供|存储|保存|会)"),
    ("未经", r"未经"),
)

# --- numbers ----------------------------------------------------------------------
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SPELLED = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|eighteen|twenty|thirty|forty|forty-five|fifty|sixty|ninety|hundred"
)
EN_SPELLED_NUMBERS = _SPELLED  # flags: text with neither a digit nor one has no number
_UNIT = (
    r"(?:business\s+|calendar\s+|working\s+)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)(?![\w])"
)
# (kind, pattern), tried in this order; a number is paired only with one of its kind.
EN_NUMBERS: tuple[tuple[str, str], ...] = (
    ("age", rf"(?:{_NUMBER}|{_SPELLED})[\s-]+years?[\s-]+(?:old|of\s+age)"),
    ("duration", rf"(?:{_NUMBER}|{_SPELLED})(?:\s*\(\d+\))?[\s-]+{_UNIT}"),
    (
        "amount",
        rf"(?:US\s?|USD\s?|EUR\s?)?[$€£¥]\s?(?:{_NUMBER})(?:\s?(?:million|billion|thousand))?"
        rf"|(?:USD|EUR|GBP)\s?(?:{_NUMBER})"
        rf"|(?:{_NUMBER})\s?(?:USD|EUR|GBP|dollars|euros|pounds)(?![\w])",
    ),
    ("percent", rf"(?:{_NUMBER})\s?(?:%|percent)"),
    ("number", _NUMBER),
)
_ZH_NUMERAL = r"[一二三四五六七八九十百千两]+"
ZH_NUMBERS: tuple[tuple[str, str], ...] = (
    (
        "duration",
        rf"(?:\d+|{_ZH_NUMERAL})\s*(?:个)?(?:工作日|自然日|天|日(?!期)|周(?!岁)|星期|个月|小时|分钟)"
        rf"|(?:\d{{1,3}}|{_ZH_NUMERAL})\s*年(?!龄|度)",  # 3年 is three years, 2022年 a year
    ),
    ("age", rf"(?:\d+|{_ZH_NUMERAL})\s*(?:周岁|岁)"),
    ("amount", r"\d+(?:\.\d+)?\s*(?:万|千)?元|[¥￥]\s?\d+(?:\.\d+)?"),
    ("percent", r"\d+(?:\.\d+)?\s*[%％]"),
)
# A number preceded by one of these refers to a place in a text (or a product), not a
# quantity: "Section 3.2", "Article 6", "GPT-4", "version 2".
EN_REFERENCE_BEFORE = (
    r"(?:section|sections|article|articles|clause|clauses|paragraph|paragraphs|para|part"
    r"|chapter|schedule|annex|exhibit|appendix|item|step|version|v|rule|no|page|title|§|art"
    r"|option|windows|office|microsoft|android|ios|iso|rfc)"
    # and the rest of a list of them: "Sections 11 and 12", "Clause 9(a) or 10"
    r"\.?\s*(?:[\w.()]+\s*(?:,|and|or|&|through|to)\s*)*$"
)
ZH_REFERENCE_BEFORE = r"(?:第|条款|版本|附件)\s*$"
# A number followed by one of these is a street address: "650 California St".
EN_ADDRESS_AFTER = (
    r"\s+(?:[A-Z][\w'’.-]*\s+){0,3}(?:St|Street|Lane|Ln|Ave|Avenue|Road|Rd|Blvd|Boulevard"
    r"|Way|Drive|Dr|Place|Pl|Square|Sq|Quay|Court|Ct|Parkway|Floor|rue|Rue|avenue|boulevard)\b"
)
# Dates are the stated-date line's business, never a changed number.
DATES = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:\s*,\s*|\s+)\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?,?\s+\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4}"
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|(?<!\d)(?:19|20)\d{2}(?!\d)"  # a year alone: copyright lines, "since 2023"
)
# Every date starts with a digit or a month's first letter (flags scans for these first).
DATES_FIRST_CHARS = r"\djfmasond"

# --- rights and choices -----------------------------------------------------------
_DATA = r"(?:your|the|their|my)\s+(?:personal\s+)?(?:data|information)"
EN_RIGHTS: tuple[tuple[str, str], ...] = (
    (
        "arbitration opt-out",
        r"opt(?:s|ed|ing)?[\s-]?out\s+of\s+(?:this\s+|the\s+|these\s+)?(?:agreement\s+to\s+)?"
        r"arbitrat\w*|arbitration\s+opt[\s-]?out",
    ),
    ("opt-out", r"opt(?:s|ed|ing)?[\s-]?out"),
    ("opt-in", r"opt(?:s|ed|ing)?[\s-]?in"),
    # Not "legal consent to accept the Terms": capacity to contract, not a choice.
    (
        "consent",
        r"(?<!legal\s)(?<!written\s)consent(?:s|ed|ing)?(?!\s+to\s+(?:these|the|this)\s+(?:terms|agreement))",
    ),
    # Not "delete your API key" or "delete the file": the user's data, account or
    # content, or a request or right to have it deleted.
    (
        "deletion",
        r"(?:request|ask|right)\s+(?:\S+\s+){0,3}?(?:delet(?:e|ion)|eras(?:e|ure))"
        r"|delet(?:e|es|ed|ing|ion\s+of)\s+(?:\S+\s+){0,3}?(?:data|information|accounts?"
        r"|content|conversations?|chats?|history|memor(?:y|ies)|inputs?|prompts?)(?!\w)"
        r"|erasure|right\s+to\s+be\s+forgotten",
    ),
    # Not "a right to access and use the Services": a licence, not a data right.
    (
        "access",
        r"rights?\s+(?:of|to)\s+access(?!\s+(?:and|or)\s+use)(?!\s+the\s+services)"
        rf"|access\s+(?:to\s+)?{_DATA}|cop(?:y|ies)\s+of\s+{_DATA}|subject\s+access",
    ),
    ("correction", r"rectif(?:y|ication)|correct(?:ion\s+of)?\s+(?:your|inaccurate|incomplete)"),
    (
        "objection",
        r"right\s+to\s+object|object\s+to\s+(?:the\s+|our\s+|such\s+)?(?:processing|use)",
    ),
    ("restriction", r"restrict(?:ion\s+of)?\s+(?:the\s+)?processing"),
    # Not "Our portable developer platform".
    ("portability", r"portability|portable\s+(?:and\s+\S+\s+)?format"),
    ("complaint", r"(?:lodge|file|make)\s+a\s+complaint"),
)
ZH_RIGHTS: tuple[tuple[str, str], ...] = (
    # 同意 alone is mostly "you agree to these terms": only consent as a choice.
    ("consent", r"撤回.{0,4}同意|单独同意|明示同意|书面同意|征得.{0,8}同意|经.{0,6}同意|授权同意"),
    ("deletion", r"删除|注销"),
    ("access", r"查阅|查询|复制"),
    ("correction", r"更正|补充"),
    ("opt-out", r"关闭.{0,6}(?:推荐|广告|功能|权限)|拒绝.{0,4}(?:推荐|广告)|退出(?!登录)"),
    ("complaint", r"投诉|举报"),
)

# --- data categories --------------------------------------------------------------
EN_DATA_CATEGORIES: tuple[tuple[str, str], ...] = (
    (
        "device identifiers",
        r"device\s+(?:ids?|identifiers?|information)|advertising\s+(?:ids?|identifiers?)"
        r"|idfa|mac\s+address(?:es)?|imei|(?:ip|internet\s+protocol)\s+address(?:es)?",
    ),
    # "location" alone is also where a server or an office is: only the user's.
    (
        "location",
        r"(?:precise|approximate|general|physical|device|your)\s+(?:geo)?location"
        r"|geolocation|location\s+(?:data|information|services|history)|gps",
    ),
    (
        "biometric",
        r"biometric\w*|face\s*prints?|facial\s+(?:recognition|geometry|features?)"
        r"|fingerprints?|voice\s*prints?|retina\s+scans?|iris\s+scans?",
    ),
    ("voice", r"voice\s+(?:data|recordings?|inputs?|conversations?|chats?|mode|messages?)|audio"),
    ("images", r"images?|photos?|photographs?|pictures?"),
    ("video", r"videos?"),
    # "chat" alone is mostly the feature ("chat with Claude"); "chats" are the data.
    (
        "conversations",
        r"conversations?|chats|chat\s+(?:history|logs?|transcripts?|content|messages?|data)"
        r"|prompts?|transcripts?",
    ),
    (
        "code",
        r"(?:source|computer)\s+code|your\s+code|code\s+(?:snippets?|you)|codebases?"
        r"|repositor(?:y|ies)",
    ),
    ("contacts", r"contact\s+lists?|address\s+books?|phone\s+contacts"),
    (
        "payment",
        r"payment\s+(?:card|information|details|data)|(?:credit|debit)\s+cards?"
        r"|bank\s+account|billing\s+(?:information|details|address)",
    ),
    ("health", r"(?:health|medical)\s+(?:data|information|records?)|mental\s+health"),
    (
        "government ID",
        r"government[\s-]+(?:issued\s+)?(?:ids?|identification)|passports?"
        r"|driver['’]?s?\s+licen[cs]es?|national\s+id|social\s+security\s+numbers?",
    ),
    (
        "contact details",
        r"e-?mail\s+address(?:es)?|(?:phone|telephone|mobile)\s+numbers?",
    ),
    ("browsing data", r"browsing\s+(?:history|data|activity)|search\s+history"),
    (
        "sensitive data",
        r"sensitive\s+(?:personal\s+)?(?:data|information)|special\s+categor(?:y|ies)",
    ),
    ("files", r"files?\s+(?:you\s+upload|uploaded)|uploaded\s+(?:files|documents)"),
    ("screen content", r"screenshots?|screen\s+(?:content|recordings?|captures?)"),
)
ZH_DATA_CATEGORIES: tuple[tuple[str, str], ...] = (
    (
        "device identifiers",
        r"设备标识|设备信息|设备识别码|IMEI|MAC地址|IP地址|Android\s?ID|OAID|IDFA",
    ),
    # Not 位置 alone: 显著位置 is "a prominent place" on a page, not the user's location.
    ("location", r"位置信息|地理位置|定位|精确位置"),
    ("biometric", r"生物识别|人脸|面部特征|指纹|声纹|虹膜"),
    ("voice", r"语音|录音|声音"),
    ("images", r"图片|照片|图像"),
    ("video", r"视频"),
    ("conversations", r"对话|聊天记录|输入内容|提问|输入的信息"),
    ("contacts", r"通讯录|联系人"),
    ("payment", r"支付信息|银行卡|支付账号"),
    ("government ID", r"身份证|身份证件"),
    ("contact details", r"手机号|电话号码|电子邮(?:件|箱)"),
    ("health", r"健康|医疗"),
    ("sensitive data", r"敏感个人信息"),
)

# --- governance vocabulary --------------------------------------------------------
EN_VOCABULARY: tuple[tuple[str, str], ...] = (
    # Not the training of staff: "employee training", "security training" ...
    (
        "training",
        r"(?<!employee\s)(?<!staff\s)(?<!security\s)(?<!privacy\s)(?<!compliance\s)"
        r"(?:re)?train(?:s|ed|ing)?(?!\s+(?:employees|staff|personnel))"
        r"|fine[\s-]?tun(?:e|es|ed|ing)|improve\s+(?:our|the)\s+(?:ai\s+)?models?",
    ),
    (
        "safety review",
        r"(?:human|manual(?:ly)?)\s+review(?:ers?|s|ed)?|safety\s+(?:review|reviewers?|team)"
        r"|trust\s+(?:and|&)\s+safety|content\s+moderation|moderat(?:e|ed|ion|ors?)"
        r"|abuse\s+(?:monitoring|detection)",
    ),
    (
        "retention",
        r"retain(?:s|ed|ing)?|retention|storage\s+period"
        r"|as\s+long\s+as\s+(?:necessary|needed|required|reasonably)",
    ),
    (
        "sharing",
        r"shar(?:e|es|ed|ing)\s+(?:\S+\s+){0,4}?with|disclos(?:e|es|ed|ing|ure|ures)"
        r"|sell(?:s|ing)?|sold|sale\s+of\s+(?:your\s+)?personal",
    ),
    (
        "age",
        r"child(?:ren)?|kids?|minors|minor\s+(?:under|below|child)|under\s+(?:the\s+age\s+of\s+)?\d{1,2}"
        r"|ages?\s+(?:of\s+)?\d{1,2}|\d{1,2}\s+years?\s+(?:of\s+age|old)|(?:minimum|legal)\s+age"
        r"|age\s+(?:of\s+majority|verification|assurance|requirements?)|parental"
        r"|parents?\s+or\s+(?:legal\s+)?guardians?|teens?|teenagers?|coppa",
    ),
    (
        "governing law",
        r"governing\s+law|governed\s+by\s+(?:and\s+construed\s+in\s+accordance\s+with\s+)?"
        r"(?:the\s+)?laws?|exclusive\s+jurisdiction|venue",
    ),
    ("arbitration", r"arbitrat\w*|class[\s-]+actions?|jury\s+trial"),
    ("advertising", r"advertis\w*|ads|targeted\s+marketing"),
    ("profiling", r"automated\s+decision[\s-]making|profiling"),
    (
        "jurisdiction",
        r"jurisdictions?|european\s+(?:economic\s+area|union)|eea|eu|united\s+kingdom|uk"
        # "California 94110": a postal address, not the state's law or residents
        r"|switzerland|california(?!,?\s+\d{5})|ccpa|cpra|gdpr|standard\s+contractual\s+clauses"
        r"|data\s+privacy\s+framework|adequacy\s+decisions?|cross[\s-]border",
    ),
)
ZH_VOCABULARY: tuple[tuple[str, str], ...] = (
    ("training", r"训练|优化模型|模型优化"),
    ("safety review", r"人工审核|安全审核|审核|审查"),
    ("retention", r"保存期限|存储期限|保留|保存|存储期"),
    ("sharing", r"共享|转让|公开披露|委托处理|第三方|出售"),
    ("age", r"未成年|儿童|不满\s*\d+\s*周岁|监护人"),
    ("governing law", r"管辖|适用法律|中华人民共和国法律"),
    ("arbitration", r"仲裁"),
    ("advertising", r"广告|个性化推荐"),
    ("jurisdiction", r"境外|跨境|出境"),
)

# --- what a number is about -------------------------------------------------------
# Read in a number flag's quotes to name it in a title: "retention period changed from
# 30 days to 90 days". First listed, first chosen.
EN_NUMBER_TOPICS: tuple[tuple[str, str], ...] = (
    ("retention period", r"retain(?:s|ed|ing)?|retention|keep|kept|stored?|delete[ds]?"),
    ("age threshold", r"age|aged|years\s+old|child(?:ren)?|minors?|teens?"),
    ("notice period", r"notice|notify|notif(?:y|ied|ication)"),
    ("liability cap", r"liabilit(?:y|ies)|liable"),
    ("fee", r"fees?|prices?|charges?|refunds?"),
)
ZH_NUMBER_TOPICS: tuple[tuple[str, str], ...] = (
    ("retention period", r"保存|保留|存储|删除"),
    ("age threshold", r"周岁|岁|未成年|儿童"),
    ("notice period", r"通知|公告"),
    ("fee", r"费用|价格|退款"),
)
