"""One vocabulary for reading budget questions: the words people use for printed figures.

Everything a question may say instead of a printed label lives here, so that every module
reads the same words: synonyms of printed labels, everyday words (公车, 招待费, 养人的钱),
one-character typos of budget words (三工, 收如, 拔款), and English names of the common terms.

`canonical(question)` rewrites a question into printed budget wording and returns the spans it
rewrote (`Tag`s), so an answer can say how each word was understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Groups of printed labels that name the same figure in budget documents; the first is
# canonical. Used on the label side: each printed label is also findable by its group.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("人员经费", "人员支出"),
    ("公用经费", "日常公用支出", "公用支出", "日常公用经费"),
    ("住房公积金", "公积金"),
    ("三公经费", "三公"),
    ("因公出国(境)费", "因公出国(境)费用", "出国费", "因公出国费"),
    ("公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车费"),
    ("公务用车运行维护费", "公务用车运行费", "运行维护费", "运行费"),
    ("公务用车购置费", "购置费"),
    ("一般公共预算", "一般公共预算拨款", "一般公共预算财政拨款"),
    ("收入总计", "收入合计", "收入预算总计", "收入总预算", "总收入", "收入总额"),
    ("支出总计", "支出合计", "支出预算合计", "支出总预算", "总支出", "支出预算总计", "支出总额"),
    ("维修(护)费", "维修费", "维护费"),
)

# Everyday words for printed figures, question side: (pattern, printed wording). Longer and
# more specific patterns first; each character of the question is rewritten at most once.
EVERYDAY: tuple[tuple[str, str], ...] = (
    (r"养人(的)?(钱|费用|经费)|人头费|养人(?=[和与及、加])", "人员经费"),
    # "维持运转的钱": what keeps the office running day to day, its 公用经费.
    (r"(维持|保障)(机构|机关|单位)?(正常)?运转(的)?(钱|费用|经费)", "公用经费"),
    (r"(公车|公务车|官车)(?=(有|一共|总共|共|现有)?(几|多少)(辆|台))|(?<=[几少][辆台])(公车|公务车|官车)",
     "公务用车"),
    (r"(公车|公务车|官车)(的)?(购置|购买|买车)(费|的钱|花的钱)?|(买|购买|购置|新购)(新)?(的)?(公车|公务车|官车|车)(的钱|费)?",
     "公务用车购置费"),
    (r"(公车|公务车|官车)(的)?(运行维护|运行|运维|维护|养护|使用)(费|的钱)?|(公车|公务车)(油费|加油)"
     r"|((公车|公务车|官车)[^，,。？?]{0,4}?)?养(公)?车(的钱|费用|费)?", "公务用车运行维护费"),
    (r"(公车|公务车|官车)(开支|费用|经费|费)?", "公务用车购置及运行费"),
    (r"(公务)?(招待|吃喝|宴请)(费|费用|开支|的钱)?|(?<!公务)接待(费|费用|开支|的钱|花的钱)", "公务接待费"),
    # "三工经费里出国的今年有没有钱": 出国的 inside the 三公 names its 出国 part.
    (r"(因公)?出国[(（]?(出境|境)?[)）]?(考察|访问)?(的)?(费用|费|开支|经费|钱)|(因公)?出国(出境|境)?(?=(一共|总共)?花)"
     r"|(?<=三公经费里)出国的|(?<=三公经费中)出国的|(?<=三公里)出国的",
     "因公出国(境)费"),
    (r"三公(消费|开支|费用|支出|的钱)", "三公经费"),
    # "开会的钱", "出差花的钱": what an activity costs is its printed 费.
    (r"开会(花|用)?(的)?(钱|费用|开支|经费)|会议(花|用)?的(钱|费用|开支)", "会议费"),
    (r"培训(花|用)?(的)?(钱|费用|开支|经费)", "培训费"),
    (r"出差(花|用)?(的)?(钱|费用|开支|经费)|差旅(花|用)?的(钱|费用|开支)", "差旅费"),
    (r"机关(运行|运转)(的钱|费|费用|开支)(?!用)", "机关运行经费"),
    (r"一般预算(?=收入|支出|拨款)", "一般公共预算"),
    # "教育花的钱": what an item's money is spent on is its 支出.
    (r"(?<=[\u4e00-\u9fff])(?<![一总共都的])(上|方面)?(花的钱|花掉的钱|用的钱)", "支出"),
    # "教育上花多少钱": the area money is spent on, its 支出.
    (r"(?<=[\u4e00-\u9fff]{2})(?<![一总共都的])(上|方面)(?=(一共|总共)?花了?多少)", "支出"),
    (r"(办公|日常运转)(经费|开支)", "公用经费"),
    (r"采购(金额|总额|预算|开支)|政采", "政府采购"),
    (r"会议(开支|费用)", "会议费"),
    # The whole budget: its 收支总表 total (收入总计 = 支出总计), named as the English
    # "total budget" is read.
    (r"(部门|单位)预算(一共|总共|合计|总额|总计|总盘子)|(部门预算)?收支(预算)?(一共|总共|合计|总额|总计|总盘子)",
     "收支预算总计"),
    # "万里街道2025年总共预算了多少钱": the whole budget, when only a year or the publisher
    # stands before it (the reader checks what stands before 总预算).
    (r"(?:^|(?<=[年度的门位局厅院委会办室处部所校心道]))(一共|总共)(预算|安排)了?(?=多少|几)", "总预算"),
    # "学校收入一共多少钱": one side of the whole budget, named after the publisher or a year.
    (r"(?:^|(?<=[年度的门位局厅院委会办室处部所校心道]))(?<!本年)(?<!上年)(收入|支出)(预算)?(一共|总共|总额|总数)"
     r"(?=是?(多少|几)|有多少)", "\\g<1>总计"),
    # "三公经费预算没花完的有多少": what the budget left unspent, its 预算 less its 决算.
    (r"(年初)?(预算)?(没|未)(花|用)完(的)?(钱)?", "年初预算比决算多出"),
    (r"培训(开支|费用)", "培训费"),
    # "检察院今年财政给了多少钱": what the treasury gives, its 财政拨款.
    (r"财政(给|拨给?|拿|掏|出)了?(?=多少|几)", "财政拨款"),
    # Short names of insurance and funds everyone uses.
    (r"社保(和)?就业", "社会保障和就业"),
    # "社保、卫生健康、住房保障这几类", "社保和住房保障两类支出": listed with other 类, 社保 is
    # the 类.
    (r"社保(?=[、，,和与及](?:[\u4e00-\u9fff]{2,8}[、，,和与及])*[\u4e00-\u9fff]{2,8}(这|等|几|各|三|两)?(类|项))",
     "社会保障和就业"),
    (r"社保(?=基金|缴费|支出|收入)", "社会保险"),
    (r"社保(?!险)", "社会保险缴费"),
    (r"医保(?=基金)", "医疗保险"),
    (r"医保(?!险|基金)", "医疗保险缴费"),
    (r"退修费|退休金|养老金(?!保险)", "退休费"),
    (r"(?<!住房)公积金", "住房公积金"),
    (r"水电费?", "水费和电费合计"),  # printed as two rows, 水费 and 电费: one figure their sum
    # Everyday names of government revenue and spending lines.
    (r"卖地(的)?(收入|钱)?|土地出让(金|收入)", "国有土地使用权出让收入"),
    (r"低保(金|钱|费)?", "最低生活保障"),
    # Short names of the functional classes (类).
    (r"卫健(?!委)", "卫生健康"),
    (r"文旅(?!局)", "文化旅游体育与传媒"),
    # The two classifications as askers name them: "按经济科目看", "功能科目".
    (r"经济科目", "经济分类"),
    (r"功能科目", "功能分类"),
)

# One-character slips of budget words (homophones and look-alikes), question side.
TYPOS: tuple[tuple[str, str], ...] = (
    ("三工", "三公"), ("三功", "三公"), ("三共", "三公"), ("下将", "下降"), ("增涨", "增长"),
    ("收如", "收入"), ("收人", "收入"), ("支岀", "支出"), ("支处", "支出"), ("之出", "支出"),
    ("预箅", "预算"), ("预笇", "预算"), ("决箅", "决算"), ("绝算", "决算"),
    ("拔款", "拨款"), ("拨欵", "拨款"), ("经废", "经费"), ("经份", "经费"),
    ("公物", "公务"), ("接侍", "接待"), ("招侍", "招待"), ("招代", "招待"), ("接代", "接待"), ("培洲", "培训"), ("倍训", "培训"),
    ("采够", "采购"), ("人元", "人员"), ("工资福力", "工资福利"), ("结余结专", "结余结转"),
    ("结专", "结转"), ("管里", "管理"), ("委拖", "委托"), ("维互", "维护"), ("家廷", "家庭"), ("补帖", "补贴"), ("帐户", "账户"), ("行政运形", "行政运行"), ("机关运形", "机关运行"),
    ("够置", "购置"), ("够买", "购买"), ("公基金", "公积金"), ("公积今", "公积金"), ("住防", "住房"),
    ("离退修", "离退休"), ("福力费", "福利费"),
    # 废 for its homophone 费 after a cost word ("公务接待废", "培训废").
    (r"(接待|培训|会议|购置|运行|维护|出国|差旅|\)|公用)废", "\\g<1>费"),
)

# English names of budget terms → printed Chinese wording (longest first when applied).
ENGLISH_TERMS: tuple[tuple[str, str], ...] = (
    # The whole budget: its 收支总表 total (收入总计 = 支出总计), as the everyday words read it.
    (r"total (revenue and expenditure|income and expenditure|budget)( budget)?", "收支总预算"),
    (r"housing (security|support)( spending| expenditures?)?", "住房保障支出"),
    (r"urban and rural communit(y|ies)( affairs)?( spending| expenditures?)?", "城乡社区支出"),
    (r"agriculture,? forestry,? (and )?water( conservancy| affairs)?", "农林水支出"),
    (r"science and technology", "科学技术支出"),
    (r"culture,? tourism,? sports,? (and )?media", "文化旅游体育与传媒支出"),
    (r"energy conservation and environmental protection|environmental protection", "节能环保支出"),
    (r"transport(ation)?( spending| expenditures?)?", "交通运输支出"),
    (r"disaster prevention( and emergency management)?|emergency management", "灾害防治及应急管理支出"),
    (r"(general )?administrative (operations?|operating)", "行政运行"),
    (r"general administrative affairs", "一般行政管理事务"),
    (r"wages? and (welfare|benefits)( spending| expenditures?)?", "工资福利支出"),
    (r"basic (salar(y|ies)|pay|wages?)", "基本工资"),
    (r"allowances? and subsid(y|ies)", "津贴补贴"),
    (r"bonus(es)?", "奖金"),
    (r"performance(-related)? (pay|wages?|salar(y|ies))", "绩效工资"),
    (r"(covered by|with|under) (the )?performance (targets?|goals?|objectives?)"
     r"|performance[- ](targeted|managed)", "编报绩效目标的"),
    (r"performance (targets?|goals?|objectives?)", "绩效目标"),
    (r"(performance )?self[- ]evaluat(ions?|ed|ing)|self[- ]assess(ments?|ed)", "绩效自评"),
    # "How much budget was involved in the projects that…": the amount a 绩效 sentence
    # states ("涉及预算金额175.52万元").
    (r"(budget|money|funds?|funding|amount)s? (was |were |is |are )?involved", "涉及预算金额"),
    (r"subsid(y|ies) (to|for) individuals and households", "对个人和家庭的补助"),
    (r"(purchases? of )?goods and services( spending| expenditures?)?", "商品和服务支出"),
    (r"capital (expenditures?|spending|outlays?)", "资本性支出"),
    (r"office (expenses|supplies|costs)", "办公费"),
    (r"(business |domestic )?travel( expenses| costs| allowances?)?", "差旅费"),
    (r"housing (subsid(y|ies)|allowances?)|rent subsid(y|ies)", "提租补贴"),
    (r"rent(al)?( expenses| costs| fees)?|leasing( fees| costs)?", "租赁费"),
    (r"property management( fees| costs)?", "物业管理费"),
    (r"(water|utilit(y|ies))( and electricity)?( bills?| fees| costs)?", "水电费"),
    (r"electricity( bills?| fees| costs)?", "电费"),
    (r"printing( fees| costs)?", "印刷费"),
    (r"postage and telecom(munications)?( fees| costs)?|telecom(munications)?( fees| costs)?", "邮电费"),
    (r"repairs?( and maintenance)?( fees| costs)?|maintenance( fees| costs)?", "维修（护）费"),
    (r"labou?r (services?|fees)", "劳务费"),
    (r"commissioned (services?|business)( fees| costs)?|outsourc(ed|ing) services?", "委托业务费"),
    (r"trade union (funds?|fees|dues)", "工会经费"),
    (r"welfare (funds?|fees|expenses)", "福利费"),
    (r"retirement (pay|pensions?|benefits?)|retirees'? pay", "退休费"),
    (r"refinanc(e|ing) bonds?", "再融资债券"),
    (r"new(ly issued)? bonds?", "新增债券"),
    (r"(budget )?completion rates?|execution rates?", "完成率"),
    (r"(actual )?(budget )?execution( figures?)?|(budget )?outturn|executed( amount| figures?| spending)?",
     "执行数"),
    # "Which functional category…": the classification; "category" is left to say the level.
    (r"functional(?= (categor|item|line))", "功能分类"),
    (r"economic(?= (categor|item|line))", "经济分类"),
    (r"(subordinate |affiliated )?budget(ary)? units?", "预算单位"),
    (r"(its|their)( own)?( subordinate| affiliated| subsidiary)? (units|institutions|agencies)",
     "所属单位"),
    (r"start[- ]of[- ](the[- ])?year budget|(initial|original|beginning[- ]of[- ]year) budget",
     "年初预算"),
    (r"adjusted budget|revised budget", "调整预算"),
    (r"final accounts?( figures?)?|actual (spending|expenditures?|outturn)|actuals", "决算数"),
    (r"year[- ]end (carry[- ]?overs?( balances?)?|balances?)( and (surplus|balances?))?|(carry[- ]?overs?|balances?) at"
     r" (the )?(end of (the )?year|year[- ]end)", "年末结转和结余"),
    (r"(beginning|start)[- ]of[- ](the[- ])?year (carry[- ]?overs?|balances?)( and (surplus|balances?))?",
     "年初结转和结余"),
    (r"three public (expenses|expenditures?|funds|costs|spending)|\"?three public\"?( consumption)?"
     r"|three official (expenses|expenditures?|costs)|sangong( funds| expenses| spending)?", "三公经费"),
    # "official vehicle purchase and running costs": the printed pair, one figure.
    (r"((official|government|public)[- ])?(vehicles?|cars?) (purchases?|acquisitions?|buying)"
     r"( and|,|&| plus) (running|operation|operating|maintenance|upkeep)( and maintenance)?"
     r"( costs?| expenses?| spending)?", "公务用车购置及运行费"),
    (r"(official|government|public)[- ](vehicles?|cars?) (purchases?|acquisitions?|buying)"
     r"|(purchas(e|es|ing)|buying) (of )?(official |government )?(vehicles?|cars?)", "公务用车购置费"),
    (r"(official|government|public)[- ](vehicles?|cars?) (operation|running|maintenance)"
     r"( and maintenance)?( costs?| expenses?)?"
     r"|(running|operating|operation|maintaining|maintenance|upkeep)( and (maintaining|maintenance|upkeep))?"
     r" (of )?(the )?((official|government|public)[- ])?(vehicles?|cars?)", "公务用车运行维护费"),
    (r"(official|government|public)[- ](vehicles?|cars?)( costs?| expenses?| spending)?", "公务用车购置及运行费"),
    (r"(official |business )?(receptions?|hospitality|entertainment)( costs?| expenses?| spending)?",
     "公务接待费"),
    (r"(official |business )?(overseas|abroad|foreign|outbound) (trips?|travel|visits?)( costs?| expenses?)?"
     r"|(official |business )?(trips?|travel|visits?) (abroad|overseas)( costs?| expenses?)?", "因公出国(境)费"),
    (r"personnel( (expenses|expenditures?|costs|spending|funds|funding))?|(staff|employee)s?'? (costs|salar(y|ies)|wages|pay)"
     r"|salar(y|ies)( costs?)?|wages?( and salaries)?", "人员经费"),
    (r"(public[- ]use|public|office|administrative) (operating |running )?(expenses|expenditures?|costs|funds|funding)"
     r"(?! of)", "公用经费"),
    (r"(agency |institutional )?(operating|running) (expenses|costs|funds)", "机关运行经费"),
    (r"basic (expenses|expenditures?|spending)", "基本支出"),
    (r"project (expenses|expenditures?|spending|costs?|funds|funding)", "项目支出"),
    (r"(government )?procurement", "政府采购"),
    # The three kinds a procurement budget is split into.
    (r"procurement of services|services? (projects?|procurement|purchases?)", "服务类"),
    (r"procurement of goods|goods (procurement|purchases?)", "货物类"),
    (r"(fiscal|financial) (appropriations?|allocations?|grants?)", "财政拨款"),
    (r"general public budget (expenditures?|spending)", "一般公共预算支出"),
    (r"general public budget (revenues?|incomes?)", "一般公共预算收入"),
    (r"general public budget", "一般公共预算"),
    (r"government(al)?[- ]funds?( budget)?", "政府性基金"),
    (r"(state[- ]owned )?capital operations?( budget)?", "国有资本经营预算"),
    (r"social insurance funds?", "社会保险基金"),
    (r"meetings?( costs?| expenses?| fees?)?|conferences?( costs?| expenses?)?", "会议费"),
    (r"training( costs?| expenses?| fees?)?", "培训费"),
    (r"(carry[- ]?overs?|carried[- ]over|balances? brought forward)( and (surplus|balances?))?", "结转和结余"),
    (r"total (revenue|income)s?|(revenue|income) total", "收入总计"),
    (r"total (expenditures?|spending|expenses|outlays?)|(expenditure|spending) total", "支出总计"),
    (r"(public security|police)", "公共安全支出"),
    (r"(general public services)", "一般公共服务支出"),
    (r"(housing provident fund)", "住房公积金"),
    (r"(basic )?pension insurance( contributions?| premiums?| payments?)?|pension contributions?"
     r"|pensions?", "基本养老保险缴费"),
    (r"occupational annuit(y|ies)( contributions?| payments?)?", "职业年金缴费"),
    (r"(basic )?medical insurance( contributions?| premiums?)?", "基本医疗保险缴费"),
    (r"(social security and employment)", "社会保障和就业支出"),
    (r"(subsid(y|ies)|grants?) from (the )?(higher|upper)[- ]level|higher[- ]level subsid(y|ies)",
     "上级补助收入"),
    (r"other (revenues?|incomes?)", "其他收入"),
    (r"other (expenditures?|spending)", "其他支出"),
    (r"appropriation (revenues?|incomes?)", "拨款收入"),
    (r"appropriations?", "拨款"),
    (r"(health( care)?|medical)( spending| expenditures?)?", "卫生健康支出"),
    (r"(education)( spending| expenditures?)?", "教育支出"),
    (r"debt (limit|ceiling)s?", "债务限额"),
    (r"general( \(non-special\))? debts?", "一般债务"),
    (r"special(-purpose)? debts?", "专项债务"),
    (r"(outstanding |total )?(local )?(government )?debt balances?|outstanding (local )?(government )?debts?"
     r"|debts?", "债务余额"),
    (r"general(-purpose)? transfer payments?|general transfers?", "一般性转移支付"),
    (r"special(-purpose)? transfer payments?|special transfers?|earmarked transfers?", "专项转移支付"),
    (r"tax (rebates?|refunds?|returns?)", "税收返还"),
    (r"transfer payments?|transfers?", "转移支付"),
    (r"individual income tax(es)?|personal income tax(es)?", "个人所得税"),
    (r"corporate income tax(es)?|enterprise income tax(es)?", "企业所得税"),
    (r"value[- ]added tax(es)?|\bvat\b", "增值税"),
    (r"tax revenues?|taxes", "税收收入"),
    (r"(non-tax|nontax) revenues?", "非税收入"),
    (r"land (sales?|transfer|use rights?)( revenue| income| fees?)?", "国有土地使用权出让收入"),
    (r"special(-purpose)? bonds?", "专项债券"),
    (r"general bonds?", "一般债券"),
    (r"interest( payments?)?", "付息"),
    (r"principal( repayments?)?|repayments?", "还本"),
    (r"goods", "货物"),
    (r"(?<!public )services", "服务"),
    (r"(informati(zation|sation|on technology)|information system|\bit|digital)"
     r" (construction|development|build[- ]?out|projects?|systems?)|informati(zation|sation)",
     "信息化建设"),
    (r"construction|works", "工程"),
    (r"(business |operating )?revenue from (services|operations)|business income", "事业收入"),
    (r"revenues?|incomes?", "收入"),
    (r"expenditures?|spending|expenses|outlays?", "支出"),
)

# English words that shape a question, marked before the terms are read.
ENGLISH_MARKS: tuple[tuple[str, str], ...] = (
    (r"\b(why|for what reason|what caused|reasons? for)\b", " WHY "),
    # Only the verb is marked: "What are the official receptions used for?" keeps its terms.
    (r"\b(used|spent|go|goes|went) (for|on)\b(?=.*\bwhat\b)|\b(used|spent) (for|on)\b(?=[\s?.!]*$)"
     r"|\bpurpose\b", " USEDFOR "),
    # "What does X mean": a definition; "what do X and Y add up to" is a sum.
    (r"\bwhat (does|do|is meant by)\b(?!.*\b(add|adds|added|come|comes|amount|amounts|total|totals|sum)\b)"
     r"|\bmean(s|ing)?\b|\bdefin(e|ition)\b", " DEFINE "),
    (r"\b(last|previous|prior) year('s)?\b", " LASTYEAR "),
    (r"\b(this|current) year('s)?\b", " "),
)

_ENGLISH = re.compile(r"[A-Za-z]{3,}")
# English words that shape a question or name the document, never a figure: what is left of an
# English question besides these and the known terms is content the answer must explain.
ENGLISH_GLUE = frozenset("""
what which how much many the did does was were is are for in of and to on at by from with
slice slices portion portions chunk gets getting receives receiving according
two three four five six seven
january february march april may june july august september october november december
this that these those its their it there than as be been being do has have had will would
could should can may about into over under per more less most least largest biggest highest
smallest lowest top greatest spend spent spending budget budgeted plan planned planning
allocate allocated allocation amount amounts total totals figure number year years fiscal
compared compare comparison versus percentage percent share proportion fraction times
increase increased decrease decreased grow grew growth rise rose fall fell drop dropped
jump jumped jumps surge surged soar soared leap leapt climb climbed plunge plunged slump slumped
shrink shrank decline declined so
change changed difference between gap exceed exceeded combined together sum add added plus
altogether why reason reasons purpose used mean means meaning define definition whole
city region prefecture province county district bureau office department commission unit
government local authority autonomous cities counties level own area actual actually
last previous prior current next end beginning around roughly approximately about
please tell show give know want does cost costs paid pay receive received get got
much money yuan wan ten thousand million billion collect collected citywide regionwide
region-wide city-wide whole-region overall went goes go going spent category categories item
items sector sectors type types kind kinds line lines head heads larger bigger smaller higher
lower greater among like one ones outstanding entire whole-area item's final account accounts
report reported reports document documents disclosure disclosed state stated say says
during project projects programme programmes program programs scheme schemes contribution
contributions issue issued through
take takes took taken give gives gave given come comes came just
anything any set sets brings bring brought round rounded decimal decimals place places
auditor auditors journalist journalists reporter deputy deputies citizen citizens resident
taxpayer taxpayers member members npc cppcc congress people's i i'm we our my me us you your
college colleges school university court courts procuratorate procuratorate's committee
standing general office's bureau's department's commission's government's agency agencies
institution institutions subdistrict street home homes organisation organization body
justice judicial commerce commercial planning reform development resources natural transit rail
railway welfare civil affairs political consultative conference party provincial municipal
prefectural single individual functional economic classification across within wide funding
catch-all
""".split())
# English adverbs of manner and degree ("sharply", "roughly") name no figure.
ENGLISH_ADVERB = re.compile(r"[a-z]{3,}(?<!pp|mb|mi)ly")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Tag:
    """A span of the question read as a budget term: what was written and what it means."""

    written: str
    meaning: str
    source: str  # everyday, typo, english


def is_english(question: str) -> bool:
    """A question written in English words, Chinese names of items may stand in it
    ("How much more was spent on 一般行政管理事务 (general administrative affairs)…")."""
    words = _ENGLISH.findall(question)
    outside = re.sub(r"[(（][^)）]*[)）]", "", question)
    return len(words) >= 3 and len(re.findall(r"[A-Za-z]", outside)) > len(_HAN.findall(outside))


def _rewrite(text: str, rules, source: str, tags: list[Tag], flags=0) -> str:
    for pattern, meaning in rules:
        def swap(match, meaning=meaning):
            written = match.group(0)
            out = match.expand(meaning) if "\\g<" in meaning else meaning
            # "政府采购预算" already says 政府采购: its "采购预算" is not rewritten into
            # "政府政府采购".
            around = match.string[max(0, match.start() - len(out)):match.end() + len(out)]
            if out != written and out in around and out not in written:
                return written
            if written != out:
                tags.append(Tag(written, out, source))
            return out
        text = re.sub(pattern, swap, text, flags=flags)
    return text


def canonical(question: str) -> tuple[str, tuple[Tag, ...]]:
    """The question in printed budget wording, and the spans rewritten to get it.

    Typos first (三工经费 → 三公经费), then everyday words (公车 → 公务用车购置及运行费). An
    English question is turned into Chinese word by word by `qa.english`."""
    tags: list[Tag] = []
    text = _rewrite(question, TYPOS, "typo", tags)
    text = _rewrite(text, EVERYDAY, "everyday", tags)
    return text, tuple(tags)

# "第二多", "排第三", "倒数第二": one place of a ranking (第一 is its head).
RANK_PLACE = re.compile(r"第([二两三四五六七八九十\d]+)(多|少|高|低|大|小|名|位)|排(?:名|在)?第([二两三四五六七八九十\d]+)")


def small_number(text: str) -> int | None:
    """"3", "三", "两": a count or place written in digits or one Chinese numeral."""
    if text.isdigit():
        return int(text)
    digits = "一二三四五六七八九十"
    text = text.replace("两", "二")
    return digits.index(text) + 1 if len(text) == 1 and text in digits else None


def rank_place(text: str) -> int | None:
    """The place of a ranking asked ("排第二" → 2), None for its head or no place."""
    found = RANK_PLACE.search(text)
    return small_number(found.group(1) or found.group(3)) if found else None


# Words that ask for a sum of the parts a question names.
SUM_WORDS = (r"合计|一共|加起来|加在一起|加一起|加一块|加在一块|加到一起|合起来|合在一起|总共|共计|之和|"
             r"总和|加总|相加")

# Words of a question that name no figure: asking, politeness, operations, comparison, time,
# the speaker and the document itself. What is left names figures (see qa.decide). Words of
# two or more characters are dropped wherever they stand; single characters only where the
# word segmenter reads them as words of their own (项 in 项目 is not 项).
FILLER_WORDS = re.compile(
    r"请问|请教|麻烦|帮我|帮忙|查一下|查查|看看|看一下|问一下|问问|我想知道|想知道|想问|告诉我|知道|"
    r"想?(核对|核实|核|确认|对)一下|"
    r"能不能|可以|是不是|有没有|没有|多了还是少了|还是|什么意思|意思|含义|定义|这么多|这么|那么多|那么|"
    r"一下子|突然|干嘛|干什么|拿来|用来|用于|用在|花在|主要|大头|大块|万块|块钱|花钱|花得|花的|用得|"
    r"这块|那块|这部分|实际上|实际|完成了|完成|执行了|口径|看不懂|不懂|老人家|啥意思|意思|是指|指的是|"
    r"大幅度|大幅|明显|显著|来看|看|"
    # The size of a change described, not a figure asked ("少了将近一半", "涨了五成多").
    r"(将近|接近|差不多|近|超过|多于|大约|约)?(一半|[一二两三四五六七八九]成多?|[一二两三]倍多?)|"
    # A size the asker recalls, in words ("那四百多万", "一百万以上的设备"): it points at a
    # figure, the figure's own words name it.
    r"(将近|接近|差不多|大约|约)?[一二两三四五六七八九十几]+[十百千]?[多来余]?[万亿][多来余]?(块钱|元|块)?"
    r"(以上|以下|左右)?|"
    # The asker's instruction to work it out ("请核算", "帮我算一下").
    r"(请|帮我|麻烦)?(核算|计算|算一算|算算|算一下)|"
    # The result of a subtraction asked in words ("…减去…，还剩多少空间", "能结余多少").
    r"(还|能|可以)(结余|剩下?|剩余|余下|留下)|剩下|剩余空间|空间|减去|减掉|扣掉|"
    r"(不算|不含|不包括|不包含|除去|扣除|剔除)[^,，。；]*[,，]|"
    # A place of a ranking ("排第二", "第二多") and "the N big ones" of a list ("四大功能类").
    r"(排名?|排在)?(倒数)?第[二两三四五六七八九十\d]+(多|少|高|低|大|小|名|位)?|"
    r"[两三四五六七八九十]大(?=类|项|块|功能|支出|领域|方面)|"
    r"[一两二三四五六七八九十几]+(项|类|个|家|款|样)|总额|总数|推算|估算|倒推|反推|倒算|(增加|减少|增减|变动)额|左右|分类|学校|根据|按照|依据|说明|"
    r"[类款项]级|级科目|科目|各项|各类|各款|明细|位置|位于|地址|方面|"
    r"多少钱|多少万元|多少万|多少元|多少|几成|几倍|几个|"
    r"百分之几|百分之多少|百分比|百分点|比例|比重|占比|所占|倍数|"
    r"什么地方|啥地方|是什么|什么|为什么|为啥|怎么样|怎么|如何|"
    r"(哪一|哪个|哪些|哪)(项目|科目|方面|领域|类别|单位|部门|市县|县市|地区|地方|类|款|项|块|个|市|县|区)|"
    r"拿得|拿到|拿了|分到|分得|得到|哪一个|哪一项|哪一笔|哪笔|哪个|哪些|哪里|哪儿|"
    r"负责|"
    # The document as the speaker ("文件说是什么原因", "说明里怎么讲的").
    r"(文件|报告|材料|原文)(里面?|中|上)?(是)?(怎么)?(说|讲|写|提到|称)(的|了)?|"
    # "（含其他资金）": all funds, as the tables' 合计 already are.
    r"[（(](含|包含|包括)(其他|其它|所有|全部|各项)?(来源)?(的)?(资金|经费)[)）]|"
    # "按政府经济分类，…": the classification the asker reads by; the items named say it.
    r"按(照)?(政府|部门)?(预算)?(支出)?(经济|功能)(分类|科目)(来看|看|来说|统计)?|"
    # "给职工交的住房公积金": whom a payment is for, said of every 缴费 item.
    r"(给|为|替)((职工|员工|干部|老师|教师|教职工|工作人员|大家|个人)[和、]?){1,3}(交|缴|缴纳|发|发放|买)(的)?|"
    rf"{SUM_WORDS}|"
    r"增长率|增幅|降幅|涨幅|增速|增长|增加|减少|下降|降低|提高|上升|变化|变动|增减|相差|差额|多出|高出|低出|幅度|"
    r"同比|相比|上一年|上年|去年|以及|"
    r"排名|排第一|第一|最多|最少|最高|最低|最大|最小|"
    r"今年|本年度|本年|全年|当年|一年|年度|年底|现在|目前|如今|眼下|"
    r"这份|这个|那个|这些|那些|这一?(项|块|部分)|里面|里头|下面|下属|底下|之中|当中|其中|全部|所有|全系统|系统|"
    r"安排|花费|花掉|用了|拿出|拨了|大概|大约|具体|到底|究竟|一下|数字|金额|数额|数目|"
    r"本部门|本单位|部门|单位|我们|咱们|你们|政府(?!性基金)|亿元|万元")
FILLER_CHARS = frozenset("几占倍比较与和及跟同最这那该其里中花给钱元万多少高低的了是为有吗呢啊呀吧么嘛哦哈在都啥要共个项块差"
                         "%,，。？?！!、:：;；\"“”'()（） ")

# Words that say which measure of an item is asked for (budget, final account, adjusted …):
# a cited column, table or sentence must say the same (see qa.decide).
MEASURES = re.compile(r"(年初|调整|全年|上年)?(预算|决算)数?|(预算)?执行数")
