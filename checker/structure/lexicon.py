"""The structure stage's vocabulary: every word list, word pattern and threshold, named once.

ingest reads the web-page tables from here too, so the two stages cannot drift apart."""
from __future__ import annotations

import re

from checker import recache  # compiled patterns kept across runs


_WS = " \t\r\f\v\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_HAN = "\u4e00-\u9fff"
_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# part order: a lead sentence may only move a part forward
_RANK = {"preamble": 0, "achievements": 1, "shortcomings": 2, "plan": 3, "other": 4}

_TERMINATORS = set("。！？!?")
_CLOSERS = set("”’」』）)】〕")
_QUOTE_PAIRS = recache.compile(r"“[^“”\n]*”|「[^「」\n]*」|『[^『』\n]*』|《[^《》\n]*》")
# inline enumerators: 一是 … 十九是, 其一 … 其十 (not 统一是 / 唯一是 / 之一是)
_ENUM = recache.compile(r"(?<![一二三四五六七八九十第统唯之同专万])(?:十[一二三四五六七八九]?|[一二三四五六七八九])是"
                   r"|其[一二三四五六七八九十](?![他中余次实])")
_ENUM_PREV = set("。！？!?；;：:，,、 \t\u3000”’）)】%％‰0123456789")

_META_KEYS = ("当前位置", "索引号", "组配分类", "发布机构", "主题分类", "名称", "文号", "发文日期",
              "发布日期", "发布时间", "信息来源", "来源", "浏览次数", "字体", "成文日期", "生效日期",
              "废止日期", "有效性", "所属机构", "公开方式", "公开范围", "公开时限", "时效", "作者",
              "点击数", "访问量", "分类", "关键词", "主题词", "发文机关", "发布单位", "信息索引号")
_META_KEY_RE = recache.compile("(" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]")
_META_LINE = recache.compile(r"^(?:" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]")
_JUNK_LINE = recache.compile(r"(?:网站|打印本页|关闭窗口|返回顶部|分享到|扫一扫|上一篇|下一篇|相关链接|【打印】|【关闭】)$"
                        r"|^(?:打印|关闭|返回|【)")
_TITLE_RE = recache.compile(r"关于.{0,80}(?:报告|总结|情况|汇报)$")
_TITLE_RE2 = recache.compile(r"(?:法治政府|依法行政|法治建设|依法治).{0,40}(?:报告|总结|汇报)$")
_SENT_PUNCT = recache.compile(r"[。，,；;！!？?]")
_TESHI = recache.compile(r"^特此(?:报告|汇报)[。.！!]?$")
_CONTACT = recache.compile(r"联系人|联系电话|联系方式|电话[:：]\s*\d")
_DATE_LINE = recache.compile(
    r"^[（(]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}"
    r"|(?:19|20)\d{6}|[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
    r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月)"
    r"\s*[)）]?$")
# a news outlet named as a page's source is the publisher, not the reporting body
_MEDIA = recache.compile(r"融媒体|新闻中心|传媒|日报|晚报|报社|电视台|广播|新闻网|记者")
_ORG_STRONG = recache.compile(r"(?:人民政府|政府|委员会|办事处|党委|党工委|工委|局|厅|办公室|中心)$")
_ORG_WEAK = recache.compile(r"(?:街道|镇|乡|县|区|市|旗|盟|州|省|苏木)$")

_UNIT_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "街道", "苏木",
                  "省", "市", "盟", "县", "区", "旗", "镇", "乡")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_ORG_WORDS = recache.compile(r"人民政府|政府|办事处|工作委员会|党工委|委员会|党委|工委|人大常委会|人大|政协")
_NAME_STOP = set("我全本各该此每其这那在的和与及对为以了是把被将向从到于等个多有无或也都并就又")
_STEM_BLACKLIST = {"法治", "平安", "文明", "示范", "民主", "和谐", "美丽", "生态", "特色", "智慧", "数字",
                   "幸福", "重点", "全国", "先进", "卫生", "园林", "旅游", "工业", "农业", "经济", "改革",
                   "试点", "中心", "城乡", "乡村", "村镇", "集镇", "建制", "边境", "口岸", "所在", "辖区",
                   "相关", "有关", "基层", "城区", "农村", "社区", "各个", "所属", "整个", "本级", "上级"}
_DEPT_TAIL = recache.compile(r"^(?P<d>[" + _HAN + r"]{0,12}?(?:管理局|局|厅|办公室|委员会|委|办|中心|署))$")

_SELF_REFS: dict[str, re.Pattern[str]] = {
    "township": recache.compile(r"我镇|全镇|本镇|我乡(?!镇)|全乡(?!镇)|本乡(?!镇)|我街道|全街道|本街道|街道党工委|党工委"
                           r"|(?<!乡)镇党委|(?<!乡)镇政府|(?<![县镇])乡党委|(?<![县镇])乡政府|我街(?!道)"),
    "county": recache.compile(r"我县|全县|本县|我区|全区|本区|我旗|全旗|本旗"),
    "city": recache.compile(r"我市|全市|本市|我州|全州|本州|我盟|全盟|本盟"),
    "province": recache.compile(r"我省|全省|本省|全自治区|我自治区"),
    "department": recache.compile(r"我局|本局|我委(?!员)|本委(?!员)|我厅|本厅|我办(?!理)|本办(?!理|法)|我中心|本中心|本部门"
                             r"|局党组|局党委|局机关|厅党组|厅机关|委党组|委机关|局班子|局领导班子"),
}
_SELF_SUFFIX = {"我镇": "镇", "全镇": "镇", "本镇": "镇", "我乡": "乡", "全乡": "乡", "本乡": "乡",
                "我街道": "街道", "全街道": "街道", "本街道": "街道", "我县": "县", "全县": "县", "本县": "县",
                "我区": "区", "全区": "区", "本区": "区", "我旗": "旗", "全旗": "旗", "本旗": "旗",
                "我市": "市", "全市": "市", "本市": "市", "我州": "州", "全州": "州", "本州": "州",
                "我盟": "盟", "全盟": "盟", "本盟": "盟"}
_NEXT_BAD = {"县": "乡级直区市域城", "镇": "村街级", "区": "县域级", "市": "县区级场民政", "乡": "镇村级",
             "街道": "", "旗": "县级", "州": "县市"}
_CONTENT = {
    "township": recache.compile(r"村[（(]社区[)）]|村[、和]社区|(?<!\d)\d+个(?:行政)?村|各村|村居|村组|村两委|行政村"),
    "county": recache.compile(r"乡镇[（(]街道[)）]|镇[（(]街道[)）]|各乡镇|乡镇街道|县直|区直|旗直|镇街"),
    "city": recache.compile(r"县[（(]市、?区[)）]|县[（(]区[)）]|县[（(]市[)）]|各县区|县市区|区县|各县[（(]市"),
}
_ADDRESSEE = recache.compile(r"^[^。，,；;]{2,40}[:：]$")

_DOMAIN_TERMS = ("依法行政", "法治政府", "行政执法", "普法", "法律顾问", "规范性文件", "行政复议", "重大行政决策",
                 "第一责任人", "法治建设", "合法性审查", "合法性审核", "执法全过程记录", "行政应诉", "三项制度",
                 "公职律师", "法治思想", "述法", "法治宣传", "依法治", "权责清单", "放管服", "行政诉讼", "法治督察")
_LEAD_TOPIC = recache.compile(r"法治政府|依法行政|法治建设|依法治[省市县区镇乡旗州盟]")
# a title ending in another kind of document: a notice, work points, a plan, a speech …
_KIND_END = recache.compile(r"(通知|工作要点|要点|实施方案|方案|实施意见|意见|讲话|公告|通报|简报|纪要)$")
CITED_TITLE_RE = recache.compile(r"《[^《》]{1,80}》")  # a cited title; the matcher skips hits inside it
# titles of other kinds of document that share the annual report's vocabulary
_OTHER_KIND = recache.compile(
    r"普法(依法治理)?(工作)?(总结|报告|情况)|依法治理工作总结|安全生产|政府工作报告|工作要点|实施方案|实施意见|"
    r"通知|公告|通报|简报|讲话|举办|召开|开展.{0,10}(活动|培训)|培训班"
)



# ---------------------------------------------------------------------------------------
# what the text is (kind.py): the kinds of text that sit next to the annual report

KIND_ZH = {
    "report": "法治政府建设年度报告",
    "other": "不像法治政府建设年度报告的文本",
    "plan": "实施方案或工作要点（计划、安排）",
    "speech": "讲话稿",
    "news": "新闻报道",
    "explainer": "政策解读",
    "template": "范文模板（含占位符）",
    "notice": "通知、通报或考核文件",
    "rules": "规则或办法",
    "yearbook": "年鉴条目",
    "gov_work_report": "政府工作报告",
    "disclosure": "政府信息公开工作年度报告",
    "article": "学术或理论文章",
    "court": "法院或检察院的报告",
    "shufa": "个人述法（述职）报告",
    "summary": "其他工作的总结",
}
# a title that reads as the annual report (the weak kinds below do not override it)
REPORT_TITLE = recache.compile(r"(?:法治政府|依法行政|法治建设|依法治[省市县区镇乡旗州盟])[^《》]{0,40}(?:报告|总结|情况|汇报)$"
                          r"|关于[^《》]{0,80}(?:报告|总结|汇报)$")
# a heading only the annual report has: the part on this year's rule-of-law-government work
REPORT_HEADING = recache.compile(r"法治政府建设的?(?:主要)?(?:举措|成效|情况|工作情况)|法治建设第一责任人职责")
# words in a report-like title that still make it another text (a reported meeting, an explainer …)
NOT_REPORT = recache.compile(r"解读|起草|会议|常委会|听取|审议|述法|述职|政府工作报告|信息公开|法院|检察院|中院|范文|模板"
                        r"|[xX×Ｘ]{2}|考评|考核")
# (kind, pattern) tried in order on each title line, outside any cited 《…》
KIND_TITLE: list[tuple[str, re.Pattern[str]]] = [
    ("explainer", recache.compile(r"解读|起草背景|答记者问")),
    ("article", recache.compile(r"^(?:浅析|浅谈|浅议|试论|略论|论|探析|刍议)|(?:研究|探析|探究|思考|刍议|路径探索)$")),
    ("template", recache.compile(r"范文|模板|范例|(?:19|20)[xX×Ｘ]{2}|[xX×Ｘ]{2}[省市县区镇乡]")),
    ("news", recache.compile(r"(?:会议|常委会|常务会|党组会)[^《》]{0,12}(?:听取|审议|研究)|(?:听取|审议)[^《》]{0,30}(?:报告|汇报)"
                        r"|日报|晚报|数字报|要闻|举办|召开|开展[^《》]{0,10}(?:活动|培训)|培训班")),
    ("speech", recache.compile(r"讲话|致辞|发言(?:稿)?$")),
    ("gov_work_report", recache.compile(r"政府工作报告")),
    ("disclosure", recache.compile(r"信息公开[^《》]{0,6}年度报告|信息公开工作")),
    ("court", recache.compile(r"法院|检察院|中院")),
    ("shufa", recache.compile(r"述法报告|述职报告|个人述法")),
    ("notice", recache.compile(r"(?:通知|通报|公告|简报|纪要|考核结果|考评[^《》]{0,10}报告|考核[^《》]{0,10}报告)$|考核结果|关于印发")),
    ("plan", recache.compile(r"(?:实施方案|工作方案|方案|工作要点|要点|工作安排|工作计划|实施意见|意见)$")),
    ("rules", recache.compile(r"(?:工作规则|规则|办法|细则|规定)$")),
    ("summary", recache.compile(r"普法(?:依法治理)?(?:工作)?(?:总结|报告|情况)|依法治理工作总结|安全生产")),
]
# kinds a title names only when it does not also say 报告/总结
WEAK_KINDS = frozenset({"notice", "plan", "rules"})
# (kind, pattern) on the opening (the first ~400 characters outside web metadata)
KIND_OPENING: list[tuple[str, re.Pattern[str]]] = [
    ("speech", recache.compile(r"同志们[:：，,！!]|各位领导[、，,:：]")),
    ("gov_work_report", recache.compile(r"各位代表[:：，,！!]")),
    ("news", recache.compile(r"本报讯|本网讯|(?<![通资音喜快])讯\s*[(（]|[(（]\s*记者|记者[\u4e00-\u9fff]{2,4}(?:报道|摄)|通讯员"
                        r"|\d{1,2}月\d{1,2}日(?:上午|下午|晚上)|^\s*(?:为[^。]{2,80}?[，,]\s*)?(?:\d{1,2}月\d{1,2}日|近日|日前)[，,]")),
    ("template", recache.compile(r"小编|供大家参考|网友投稿|公文范文|范文网|写作资料")),
    ("plan", recache.compile(r"制定本方案|本方案|特制定|现提出如下|制定本(?:工作)?(?:计划|要点|意见)")),
    ("rules", recache.compile(r"制定本(?:工作)?(?:指引|办法|细则|规定|规则)")),
    ("article", recache.compile(r"摘\s*要\s*[:：]|中图分类号|[，,]\s*[\u4e00-\u9fff]{2,4}\s*\d{6}\s*[)）;；]|^[^。]{0,12}?(?:党的[^。]{0,12}报告|习近平总书记)[^。]{0,12}(?:强调|指出)")),
    ("yearbook", recache.compile(r"^\d{4}卷|年鉴")),
    ("summary", recache.compile(r"[\u4e00-\u9fff]{2,6}系统(?:坚持|以|深入|认真|紧紧|全面|在)")),
    ("court", recache.compile(r"(?:法院|检察院)(?:坚持|以|在|认真|深入)")),
]
# (kind, pattern, how many) in the whole text
KIND_TEXT: list[tuple[str, re.Pattern[str], int]] = [
    ("news", recache.compile(r"(?m)^\s*(?:记者|通讯员|摄影)\s*[:：|｜]"), 1),
    ("yearbook", recache.compile(r"(?m)^【[^】\n]{2,30}】"), 2),
]
# placeholders a template leaves for the writer: 20XX年, XX市, ×××, *区
PLACEHOLDER = recache.compile(r"(?<![A-Za-z/.])(?:(?:19|20)[xX×Ｘ]{2}|[xX×Ｘ]{2,})(?![A-Za-z/.])|(?<![A-Za-z])[xX×Ｘ](?=[省市县区镇乡])|[*＊]{1,3}(?=[省市县区镇乡次个项件])")
PLACEHOLDER_MIN = 2
# the report's domain vocabulary: how many terms make a text the report
MIN_TERMS_WITH_TOPIC = 3   # with 法治政府/依法行政/法治建设 in the title or opening
MIN_TERMS_ALONE = 6

# a breadcrumb line: where the page sits on its site ("首页 > 政务公开", "首页→ 网站公告")
NAV_PATTERN = (r"^\s*(?:当前位置|您现在的位置|您当前的位置|您的位置|当前所在位置|您所在的位置|现在位置|所在位置"
               r"|(?:您|你)(?:现在|当前|目前)?(?:所在|所处)?的?位置\s*[:：>＞])"
               r"|^\s*(?:网站首页|首页|主页)\s*[>＞»›>/|→]")
NAV_LINE = recache.compile(NAV_PATTERN)

# ---------------------------------------------------------------------------------------
# who wrote it (body.py)

# what a report's first sentence puts before its subject: the year, "在…领导下，", "为…，"
SUBJECT_LEAD = recache.compile(r"^(?:(?:(?:19|20)\d{2}\s*年度?(?:以来|来|至今|上半年)?|一年来|今年以来|今年|过去一年)\s*[，,、]?\s*"
                          r"|(?:在|为|根据|按照)[^，,。]{2,60}?[，,]\s*)*")
# a department's name: its work words and one of these endings
DEPT_END = r"(?:管理局|局|厅|部|委员会|委|办公室|办|署|中心|管委会)"
DEPT_NAME = recache.compile(r"([\u4e00-\u9fff]{2,12}?" + DEPT_END + r")(?=坚持|始终|认真|深入|全面|紧紧|在|以|按照|围绕|高度|积极|持续|牢固|不断|着力|切实|进一步|严格|聚焦|立足|紧扣|扎实)")
# what follows a place that is the sentence's subject
SUBJECT_NEXT = recache.compile(r"(?:人民政府|政府|党委|党工委|办事处|委|始终|认真|深入|全面|紧紧|在|以|按照|围绕|高度|积极|持续|牢固|不断"
                          r"|着力|切实|进一步|严格|聚焦|立足|紧扣|扎实|坚持|法治政府)")
# a party committee is not a government department
PARTY_COMMITTEE = recache.compile(r"(?:^中共|^中国共产党|[省市县区旗镇乡州盟]委$|党委$|党工委$|工委$|党组$)")
# how a government names itself with no place name: 县人民政府, 市政府, 街道, 我镇
SELF_GOV = recache.compile(r"^(?:中共)?(?:我|本)?(特别行政区|自治区|自治州|自治县|自治旗|街道|苏木|省|市|州|盟|县|区|旗|镇|乡)"
                      r"(?:人民政府|政府|办事处|党工委|党委|委)?(?=坚持|始终|认真|深入|全面|紧紧|在|以|按照|围绕|高度|积极|持续|牢固|不断|着力|切实|进一步|严格|聚焦|立足|紧扣|扎实|法治|始终)")
# the government speaking of itself in the report sentence or as the first responsible person:
# "现将省政府2021年度法治政府建设情况报告如下", "县长切实履行推进法治建设第一责任人职责"
SELF_GOV_ANYWHERE = [
    recache.compile(r"现将(?:我|本)?(自治区|自治州|街道|苏木|省|市|州|盟|县|区|旗|镇|乡)(?:人民)?政府[^。]{0,40}?(?:报告|汇报)如下"),
    recache.compile(r"(?<![副])(省|市|州|盟|县|区|旗|镇|乡)长[^。，,]{0,8}(?:带头|切实|认真|严格)?履行(?:推进)?法治建设第一责任人"),
]
SUFFIX_LEVEL = {"特别行政区": "province", "自治区": "province", "省": "province", "自治州": "city", "州": "city",
                "盟": "city", "市": "city", "自治县": "county", "自治旗": "county", "县": "county", "区": "county",
                "旗": "county", "街道": "township", "苏木": "township", "镇": "township", "乡": "township"}
# the level a department's ending implies for its place: a 厅 is a province's, a 部 the state's
DEPT_PLACE_RANK = {"厅": 1, "部": 0}
# a report title inside a longer line: "…www.….com某省人民政府关于2023年度法治政府建设情况的报告2023年，…"
GLUED_TITLE = recache.compile(r"([\u4e00-\u9fff]{2,30}?)(?:人民政府|政府)?关于(?:19|20)\d{2}\s*年度?[^。，,]{0,30}?(?:报告|总结)(?=\s*(?:19|20)\d{2}|[\u4e00-\u9fff])")
# everyday words that are also the stem of some township's name (建设街道, 发展镇): a report
# writes them as words, so they never name the body by their count alone
COMMON_STEMS = frozenset({"建设", "发展", "人民", "新华", "解放", "胜利", "和平", "团结", "东风", "前进", "红旗", "城关",
                          "工业", "文化", "中心", "新城", "城南", "城北", "城东", "城西", "开发", "经济", "民主", "光明",
                          "幸福", "友谊", "繁荣", "振兴", "创新", "新兴", "长安", "兴隆", "太平", "永安", "安全", "保障",
                          "服务", "管理", "执法", "法治", "治理", "公共", "社会", "政务", "环境", "交通", "教育", "卫生"})
# a department's report speaks of its sector ("全区教育系统"); a government's of its territory
DEPT_SECTOR = recache.compile(r"(?:教育|卫生健康|卫健|公安|司法行政|市场监管|交通运输|自然资源|生态环境|税务|财政|水利|农业农村"
                         r"|应急管理|文化旅游|文旅|民政|人社|住建|城管|医保|统计|审计|林业)系统")
# a page header's clock: "今天是：2019年10月31日 星期三 农历十月初七" (never the report's date)
PAGE_CLOCK = recache.compile(r"今天是|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*星期[一二三四五六日天]|农历[正一二三四五六七八九十冬腊]{1,2}月")
