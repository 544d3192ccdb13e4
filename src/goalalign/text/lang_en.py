"""The built-in English language pack.

Word lists are chosen for goal statements as organisations write them (public services,
health, education, manufacturing, software, retail, non-profits, finance, logistics), not
for English at large: ``hold`` is an activity verb here because "hold monthly fairs" is the
common case, and "hold costs at ..." is caught by the reader as a maintain statement with an
amount.
"""

from __future__ import annotations

from goalalign.text.language import LanguagePack

__all__ = ["ENGLISH"]


def _words(text: str) -> frozenset[str]:
    """Comma-separated entries, so multi-word entries keep their spaces."""
    return frozenset(item.strip() for item in text.split(",") if item.strip())


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "none": 0,
    "once": 1, "twice": 2,
}  # fmt: skip

_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUM_RE = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|twenty|twenty-four|thirty|thirty-six)"
)
_SPAN_RE = r"(?:days?|weeks?|months?|quarters?|years?|financial\s+years?|fiscal\s+years?)"
_PREP_RE = (
    r"(?:(?P<before>before|prior\s+to|ahead\s+of)|by|until|till|through|throughout|in|during|"
    r"within|for|over|across|at|from|no\s+later\s+than|not\s+later\s+than|as\s+of)"
)
_ENDOF_RE = r"(?:(?:the\s+)?(?P<endof>end|close|start|beginning|middle)\s+of\s+)"

# Periods that are unmistakably dates, so no preposition is needed ("Q3 2026 launch").
_PERIOD_RE = rf"""
(?:
  (?P<iso>\d{{4}}-\d{{2}}-\d{{2}})
| (?P<d_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<d_month>{_MONTH_RE}),?\s+(?P<d_year>\d{{4}})
| (?P<month>{_MONTH_RE})(?:\s+(?P<m_day>\d{{1,2}})(?:st|nd|rd|th)?,)?,?\s+(?P<month_year>\d{{4}})
| Q(?P<quarter>[1-4])\s*(?:(?:of\s+)?FY\s*'?(?P<q_fy>\d{{4}}|\d{{2}})|(?P<q_year>\d{{4}}))
| (?P<q_year2>\d{{4}})\s*-?\s*Q(?P<quarter2>[1-4])
| (?:the\s+)?(?P<q_ord>first|second|third|fourth)\s+quarter\s+of\s+(?P<q_year3>\d{{4}})
| H(?P<half>[12])\s*(?P<h_year>\d{{4}})
| (?:FY|fiscal\s+year|financial\s+year)\s*'?(?P<fy>\d{{4}}|\d{{2}})
  (?:\s*[/-]\s*(?P<fy_b>\d{{4}}|\d{{2}}))?
| (?P<ym_year>\d{{4}})-(?P<ym_month>0[1-9]|1[0-2])
)"""

# The words that may come before a deadline: "by", "before", "by the end of". The reader
# matches this prefix backwards from each deadline core it finds, which is much faster than
# trying an optional preposition at every position of the text.
_DEADLINE_PREFIX = (
    rf"(?:(?<![A-Za-z])(?P<prep>{_PREP_RE})\s+)?(?:(?<![A-Za-z]){_ENDOF_RE})?(?:the\s+)?$"
)

_DEADLINES: tuple[tuple[str, str, str], ...] = (
    # "this winter", "by autumn 2026": the season's end (northern hemisphere)
    (
        "season",
        "spring summer autumn fall winter",
        r"\b(?:(?:this|next|coming)\s+)?"
        r"(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?P<s_year>(?:19|20)\d{2}))?\b",
    ),
    # "by the end of Q3 2026", "by December 2026", "Q3 2026"
    # (every form has a digit, at most four words after the start: "the first quarter of 2027")
    ("absolute", "<year> fy <digits:4>", rf"\b(?=[\dQqHhFfTtJjMmAaSsOoNnDd]){_PERIOD_RE}\b"),
    # a bare year needs a preposition or "end of" (the reader checks): "by 2030", "end of 2027"
    (
        "year",
        "<year> <digits:2>",
        r"\b(?:(?:calendar\s+)?year\s+)?"
        r"(?P<year>(?:19|20)\d{2})(?![\d.%]|,\d)(?!\s*(?:%|percent|per\s*cent))\b",
    ),
    # "year-end 2026", "2026 year end"
    (
        "absolute",
        "year-end end <digits:2>",
        r"\b(?:year[- ]end\s+(?P<ye_year>(?:19|20)\d{2})"
        r"|(?P<ye_year2>(?:19|20)\d{2})\s+year[- ]end)\b",
    ),
    # "by the end of Q1": the next such quarter from as_of
    ("quarter", "q", r"\bQ(?P<quarter>[1-4])\b(?!\s*-?\s*(?:\d|FY|of))"),
    # "within 6 months", "in the next year", "over the next two years" (its own preposition)
    (
        "relative",
        "day days week weeks month months quarter quarters year years",
        r"\b(?P<rprep>in|within|over|during|for)\s+(?:the\s+)?"
        rf"(?:(?P<next>next|coming|following)\s+)?(?P<count>{_NUM_RE})?\s*(?P<span>{_SPAN_RE})\b",
    ),
    # "next quarter", "by the end of next year", "in the next financial year"
    (
        "next",
        "next coming following",
        r"\b(?:next|coming|following)\s+"
        r"(?P<span>year|quarter|month|financial\s+year|fiscal\s+year)\b",
    ),
    # "this year", "by the end of the year", "by year end" ("the year" needs "end of")
    (
        "this",
        "this current end year-end",
        r"\b(?:(?P<this_word>the|this|this\s+calendar|the\s+current)\s+"
        r"(?P<span>year|quarter|month|financial\s+year|fiscal\s+year|academic\s+year|"
        r"school\s+year)|(?P<ye>year[- ]end))\b",
    ),
)

ENGLISH = LanguagePack(
    code="en",
    increase_verbs=_words(
        "increase, increasing, raise, raising, grow, growing, boost, expand, extend, add, adding,"
        " gain, win, acquire, hire, recruit, lift, double, triple, quadruple, multiply,"
        " ramp up, scale up, step up, build up, drive up, push up, attract, enrol,"
        " enroll, widen, broaden, maximise, maximize, generate, earn, increased, expanding,"
        " bring forward, higher, convert, ramp"
    ),
    decrease_verbs=_words(
        "reduce, reducing, cut, cutting, decrease, decreasing, lower, lowering, shorten,"
        " shrink, halve, halving, minimise, minimize, eliminate, eliminating, end, remove,"
        " prevent, avoid, stop, drop, trim, slash, curb, contain, bring down, drive down,"
        " push down, keep down, cut back, scale back, phase out, clear, close the gap, lessen,"
        " decline, fall, eradicate, tackle, save, reduced, narrow"
    ),
    maintain_verbs=_words(
        "maintain, maintaining, keep, keeping, sustain, sustaining, preserve, protect, retain,"
        " hold steady, hold at, stay, remain, safeguard, uphold, continue to meet, stabilise,"
        " stabilize, guarantee"
    ),
    achieve_verbs=_words(
        "achieve, achieving, reach, reaching, attain, hit, meet, deliver, complete, ensure,"
        " become, obtain, secure, pass, earn accreditation, bring, match, place, house,"
        " resolve, fill, make, get, establish, provide, offer, serve, treat, see, answer,"
        " process, restore, return, move, shift, switch, migrate, connect, certify, optimise,"
        " optimize, optimising, optimizing, refine, advance, elevate, transform, modernise,"
        " modernize, streamline, drive, leverage, foster, promote, champion, embed, support,"
        " develop, strengthen, accelerate, speed up, empower, create, build, have, be, strive,"
        " help, detect, settle, pay, respond, approve, patch, bring, place"
    ),
    polar_verbs=_words("improve, improving, enhance, enhancing, better, upgrade"),
    activity_verbs=_words(
        "hold, host, conduct, attend, run, organise, organize, arrange, schedule, facilitate,"
        " coordinate, participate, engage, meet, call, visit, contact, phone, email, mail,"
        " monitor, track, review, discuss, plan, work, continue, help, assist, try, attempt,"
        " focus, spend, carry out, perform, undertake, canvass, present, advertise, explore,"
        " investigate, study, research, consult, liaise, brief, outreach, reach out,"
        " follow up, check, inspect, audit, survey, coach, mentor, participate in, take part,"
        " refresh, walk"
    ),
    output_verbs=_words(
        "submit, publish, produce, write, issue, send, post, answer, process,"
        " launch, release, ship, deploy, implement, roll out, create, design, draft,"
        " introduce, install, digitise, digitize, adopt, update, prepare, complete, file,"
        " close, handle, hire, recruit, onboard, train, distribute, print, upload,"
        " log, record, document, set up, open, commission, procure, purchase, buy,"
        " order, sign, award, replace, refurbish, renovate, fit, equip, automate, plant,"
        " resurface, redesign,"
        " migrate, code, test, configure, translate"
    ),
    activity_nouns=_words(
        "meeting, meetings, workshop, workshops, session, sessions, fair, fairs, event, events,"
        " call, calls, visit, visits, webinar, webinars, training, trainings, briefing,"
        " briefings, huddle, huddles, stand-up, stand-ups, standups, conference, conferences,"
        " presentation, presentations, roadshow, roadshows, outreach, check-in, check-ins,"
        " one-to-ones, inspections, audits, walkthroughs, forums, forum, site visits, seminars,"
        " seminar, courses, classes, drills, consultations, interviews, demos, demonstrations,"
        " hours of training, activities, tours, exhibitions, open days, campaigns, campaign,"
        " walks, walkabouts, checks, rounds, ward rounds, talks, galas, classes, clinics,"
        " training hours, training sessions, hackathons, sprint reviews, safety walks"
    ),
    output_nouns=_words(
        "report, reports, article, articles, post, posts, application, applications, brief,"
        " briefs, proposal, proposals, policy, policies, document, documents, newsletter,"
        " newsletters, release, releases, feature, features, dashboard, dashboards, plan,"
        " plans, guideline, guidelines, procedure, procedures, paper, papers, publication,"
        " publications, blog, blogs, video, videos, module, modules, email, emails, ticket,"
        " tickets, bid, bids, tender, tenders, design, designs, prototype, prototypes,"
        " specification, specifications, survey, surveys, assessment, assessments, case"
        " studies, leaflets, flyers, tweets, press releases, submissions, grant applications,"
        " user stories, story points, lines of code, pull requests, commits, memos, minutes,"
        " templates, handbook, manual, portal, system, app, website, tool, platform,"
        " migration, rollout, roll-out, upgrade, implementation, refurbishment, certificates,"
        " framework, strategy, roadmap, pilot, programme, program, project, projects,"
        " initiative, initiatives, contracts signed, letters, claims processed, invoices,"
        " staff trained, people trained, courses delivered, hires, staff, sales people,"
        " systems, tools, apps, websites, portals, packs, meals, parcels, displays, leaflets,"
        " briefings, adverts, versions, templates, modules, tests, stores, hubs,"
        " nurses, teachers, engineers, employees, officers, volunteers, recruits, kiosks,"
        " sensors, chargers, machines, cameras, laptops, devices, licences, licenses"
    ),
    result_cues=_words(
        "rate, rates, time, times, satisfaction, revenue, revenues, sales, defects, defect,"
        " wait, waits, waiting, cost, costs, margin, margins, profit, profits, share, score,"
        " scores, nps, uptime, downtime, availability, retention, churn, turnover, attrition,"
        " errors, error, complaints, incidents, injuries, accidents, readmissions, emissions,"
        " arr, mrr, income, spend, spending, expenditure, price, prices, backlog, footfall,"
        " traffic, occupancy, conversion, yield, productivity, throughput, accuracy,"
        " reliability, absence, absences, absenteeism, attendance, attendees, visitors,"
        " engagement, loyalty, quality, safety, outcomes, outcome, results, mortality,"
        " infections, falls, harm, deaths, survival, recovery, literacy, numeracy, grades,"
        " pass, graduation, completion, employment, homelessness, poverty, vacancies,"
        " vacancy, delays, delay, lead, cycle, latency, response, resolution, on-time,"
        " punctuality, waste, scrap, rework, returns, breakdowns, failures, outages,"
        " losses, loss, arrears, debt, fraud, claims, customers, customer base, users,"
        " members, donors, donations, funding, enrolment, enrolments, enrollment, usage,"
        " adoption, market share, growth, value, savings, utilisation, utilization,"
        " efficiency, capacity, coverage, access, uptake, compliance, energy, water,"
        " carbon, fuel, homes, households, patients, students, pupils, learners, residents,"
        " passengers, shipments, deliveries, orders, bookings, renewals, subscribers,"
        " citizens, clients, tenants, visits per, disruption, disruptions, exclusions,"
        " reoffending, cancellations, length of stay, beds, stock-outs, stockouts, shrinkage,"
        " inventory, days, hours, minutes, weeks, months, seconds, percent, ebitda, roi,"
        " cash, payments, payment, premiums, losses, downtime, bugs, vulnerabilities,"
        " breaches, sla, slas, kpi, wellbeing, well-being, health, performance, speed,"
        " first-time, fix, trust, reputation, awareness, diversity, representation"
    ),
    result_measures=_words(
        "rate, rates, time, times, satisfaction, revenue, revenues, sales, defects, defect,"
        " wait, waits, waiting, cost, costs, margin, margins, profit, profits, share, score,"
        " scores, nps, csat, uptime, downtime, availability, available, retention, churn,"
        " turnover, attrition, errors, complaints, incidents, injuries, accidents,"
        " readmissions, emissions, arr, mrr, income, spend, spending, expenditure, price,"
        " prices, backlog, footfall, traffic, occupancy, conversion, yield, productivity,"
        " accuracy, reliability, absence, absences, absenteeism, attendance, attendees,"
        " visitors, mortality, infections, falls, harm, deaths, survival, literacy, numeracy,"
        " grades, graduation, employment, homelessness, vacancies, delays, latency, on-time,"
        " punctuality, waste, scrap, rework, breakdowns, failures, outages, losses, arrears,"
        " fraud, ebitda, roi, savings, utilisation, utilization, percentage, proportion,"
        " days, hours, minutes, weeks, months, seconds, disruption, disruptions, disrupted,"
        " delayed, cancelled, missed, late, lost, free, safe, compliant, resolved, sla, slas,"
        " lead, cycle, response, resolution, wellbeing, engagement, loyalty, trust,"
        " reoffending, exclusions, cancellations, stock-outs, stockouts, shrinkage, donations,"
        " funding, uptake, coverage, compliance, renewals, bookings, orders, repeat,"
        " first-time, completion, gap, gaps, premium, premiums, targets, service-level, robustness,"
        " resilience, security, awareness"
    ),
    population_nouns=_words(
        "customers, customer, patients, patient, students, pupils, learners, users, members,"
        " donors, clients, residents, passengers, tenants, citizens, subscribers, households,"
        " homes, families, people, staff, employees, businesses, suppliers, partners,"
        " volunteers, children, visitors, attendees"
    ),
    generic_heads=_words(
        "number, numbers, count, amount, total, volume, level, levels, quantity, volumes"
    ),
    activity_participles=_words(
        "held, attended, conducted, hosted, run, made, organised, organized, visited, called,"
        " contacted, scheduled, facilitated, performed, undertaken, carried"
    ),
    output_participles=_words(
        "posted, submitted, published, produced, sent, answered, written, issued, launched,"
        " offered,"
        " completed, closed, processed, trained, hired, released, shipped, deployed, created,"
        " built, drafted, filed, distributed, logged, installed, recruited, delivered"
    ),
    lower_is_better=_words(
        "time, times, wait, waits, waiting, cost, costs, defects, defect, errors, error,"
        " complaints, incidents, injuries, accidents, readmissions, emissions, downtime,"
        " churn, turnover, attrition, backlog, absence, absences, absenteeism, mortality,"
        " infections, falls, harm, deaths, delays, delay, latency, waste, scrap, rework,"
        " returns, breakdowns, failures, outages, losses, loss, arrears, debt, fraud, spend,"
        " spending, expenditure, price, prices, vacancies, vacancy, homelessness, poverty,"
        " days, hours, minutes, weeks, months, seconds, cancellations, exclusions,"
        " reoffending, stock-outs, stockouts, shrinkage, bugs, vulnerabilities, breaches,"
        " length of stay, lead time, cycle time, disruption, disruptions, carbon, fuel,"
        " energy use, water use, overtime, sick, risk, risks, no-shows, dropouts, drop-outs,"
        " leakage, rejects, claims, escalations, duration, gap, gaps"
    ),
    vague_words=_words(
        "improve, improving, improved, improvement, improvements, enhance, enhancing,"
        " enhanced, enhancement, optimise, optimize, optimising, optimizing, optimisation,"
        " optimization, effective, effectively, effectiveness, world-class, world class,"
        " better, strengthen, strengthening, streamline, streamlining, drive, driving,"
        " leverage, leveraging, best-in-class, best in class, excellence, excellent,"
        " transform, transformation, transformational, empower, empowering, foster, promote,"
        " synergy, synergies, innovative, innovation, robust, seamless, seamlessly,"
        " holistic, cutting-edge, next-generation, agile, modernise, modernize, elevate,"
        " embrace, revolutionise, revolutionize, best practice, best practices, maximise,"
        " maximize, maximising, maximizing, leading, industry-leading, market-leading,"
        " outstanding, exceptional, high-quality, high-performing, culture of, champion,"
        " world-leading, future-proof, dynamic, impactful, meaningful, as much as possible,"
        " where possible, wherever possible, various, appropriate, accelerate,"
        " step change, step-change, raise the bar, move the needle, go the extra mile, best,"
        " most trusted, leader, awareness, premier, thrive"
    ),
    measure_nouns=_words(
        "rate, rates, ratio, time, times, cost, costs, number, numbers, share, percentage,"
        " proportion, score, scores, count, revenue, revenues, sales, margin, margins, profit,"
        " profits, spend, spending, expenditure, price, prices, wait, waits, waiting, uptime,"
        " downtime, availability, nps, csat, turnover, churn, attrition, errors, defects,"
        " complaints, incidents, injuries, accidents, readmissions, emissions, visits,"
        " attendance, footfall, occupancy, backlog, arr, mrr, ebitda, income, latency,"
        " lead time, cycle time, length of stay, days, hours, minutes, weeks, months, yield,"
        " throughput, mortality, infections, falls, vacancies, absences, absenteeism,"
        " delays, outages, failures, breakdowns, arrears, savings, on-time, sla, slas,"
        " retention, conversion, deaths, exclusions, cancellations, stock-outs, stockouts,"
        " homes, households, patients, students, pupils, customers, users, members, donors,"
        " subscribers, passengers, bookings, orders, shipments, deliveries, beds, tonnes,"
        " kwh, mwh, litres, liters, average, median, mean, total, volume, level, levels,"
        " per, index, grade, grades, results, pass, completion, coverage, utilisation,"
        " utilization, accuracy, punctuality, donations, funding, enrolments, enrolment,"
        " enrollment, renewals, bugs, vulnerabilities, breaches, reoffending, scrap, rework,"
        " waste, returns, rejects, traffic, visitors, attendees, kpi"
    ),
    more_words=_words("more, extra, additional, higher, greater"),
    fewer_words=_words("fewer, less, lower, smaller"),
    multipliers={
        "double": 2.0,
        "doubling": 2.0,
        "doubled": 2.0,
        "twofold": 2.0,
        "two-fold": 2.0,
        "triple": 3.0,
        "tripling": 3.0,
        "tripled": 3.0,
        "threefold": 3.0,
        "three-fold": 3.0,
        "quadruple": 4.0,
        "quadrupling": 4.0,
        "fourfold": 4.0,
        "four-fold": 4.0,
        "halve": 0.5,
        "halving": 0.5,
        "halved": 0.5,
    },
    number_words=_NUMBERS,
    fraction_words={"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1},
    label_nouns=_words(
        "year, line, level, phase, tier, iso, stage, key stage, ward, route, band, section,"
        " article, step, version, release, building, site, block, zone, lot, room, gate,"
        " terminal, sprint, grade, class, form, cohort, wave, covid, a, m, b, i, type, category,"
        " priority, p, sev, severity, lane, bay, dock, region, district"
    ),
    magnitude_words={
        "k": 1e3,
        "thousand": 1e3,
        "m": 1e6,
        "mn": 1e6,
        "mm": 1e6,
        "million": 1e6,
        "millions": 1e6,
        "b": 1e9,
        "bn": 1e9,
        "billion": 1e9,
        "billions": 1e9,
        "tn": 1e12,
        "trillion": 1e12,
    },
    month_names=_MONTHS,
    time_units={
        "second": "second",
        "seconds": "second",
        "secs": "second",
        "sec": "second",
        "minute": "minute",
        "minutes": "minute",
        "mins": "minute",
        "min": "minute",
        "hour": "hour",
        "hours": "hour",
        "hrs": "hour",
        "hr": "hour",
        "day": "day",
        "days": "day",
        "working day": "day",
        "working days": "day",
        "business day": "day",
        "business days": "day",
        "calendar days": "day",
        "week": "week",
        "weeks": "week",
        "month": "month",
        "months": "month",
        "year": "year",
        "years": "year",
        "quarter": "quarter",
        "quarters": "quarter",
    },
    rate_words=_words("per, a, an, each, every"),
    rate_adverbs={
        "daily": "day",
        "weekly": "week",
        "monthly": "month",
        "annually": "year",
        "yearly": "year",
        "hourly": "hour",
        "quarterly": "quarter",
    },
    unit_words={
        "%": "percent",
        "percent": "percent",
        "per cent": "percent",
        "pc": "percent",
        "pct": "percent",
        "percentage points": "percent",
        "percentage point": "percent",
        "points": "percent",
        "point": "percent",
        "pp": "percent",
        "ppt": "percent",
        "dollars": "USD",
        "dollar": "USD",
        "usd": "USD",
        "euros": "EUR",
        "euro": "EUR",
        "eur": "EUR",
        "pounds": "GBP",
        "gbp": "GBP",
        "aud": "AUD",
        "cad": "CAD",
        "nzd": "NZD",
        "chf": "CHF",
        "yen": "JPY",
        "rupees": "INR",
        "inr": "INR",
        "tonnes": "metric_ton",
        "tonne": "metric_ton",
        "tons": "metric_ton",
        "t": "metric_ton",
        "kg": "kilogram",
        "kilograms": "kilogram",
        "kwh": "kilowatt_hour",
        "mwh": "megawatt_hour",
        "gwh": "gigawatt_hour",
        "km": "kilometer",
        "kilometres": "kilometer",
        "kilometers": "kilometer",
        "miles": "mile",
        "litres": "liter",
        "liters": "liter",
        "hectares": "hectare",
        "ha": "hectare",
        "metres": "meter",
        "meters": "meter",
        "m2": "meter ** 2",
    },
    point_words=_words("percentage points, percentage point, points, point, pp, ppt"),
    baseline_markers=_words(
        "from, up from, down from, instead of, rather than, compared with, compared to,"
        " versus, vs, vs., baseline of, currently, today's, from today's, from the current,"
        " from a baseline of, from around, from about, from roughly, against"
    ),
    target_markers=_words(
        "to, in, reach, reaching, at least, at most, no more than, no less than, under, below,"
        " above, over, within, of at least, target of, at, to at least, to under, to below,"
        " to above, to no more than, to within, less than, more than, fewer than, beyond,"
        " exceed, exceeding, achieve, hit, stay above, stay below, keep above, keep below"
    ),
    change_markers=_words("by, by at least, by around, by about, by a further, by another"),
    stop_words=_words(
        "the, a, an, our, its, their, this, that, these, those, all, my, your, we, his,"
        " her, any, some"
    ),
    function_words=_words(
        "of, in, to, for, at, on, with, and, or, than, into, over, under, across, per, each,"
        " every, is, are, be, was, were, up, down, out, while, by, from, within, before,"
        " until, through, during, after, so, as, via, between, among, against, without, that,"
        " which, who, whose, where, when, but, nor, yet, if"
    ),
    boundary_words=_words(
        "by, from, within, before, until, till, through, throughout, during, while, so,"
        " because, since, whilst, whereas, thereby, via, compared, versus, instead, rather,"
        " without, unless, when, whenever, which, who, where, after, against, despite, using,"
        " including, ensuring, whilst, except, thanks"
    ),
    deadline_prefix=_DEADLINE_PREFIX,
    deadline_prefix_ends=_words(
        "before, to, of, by, until, till, through, throughout, in, during, within, for, over,"
        " across, at, from, than, the"
    ),
    deadline_prefix_starts=_words(
        "before, prior, ahead, by, until, till, through, throughout, in, during, within, for,"
        " over, across, at, from, no, not, as, the, end, close, start, beginning, middle"
    ),
    deadline_patterns=_DEADLINES,
    within_spans=frozenset({"second", "seconds", "minute", "minutes", "hour", "hours"}),
)
