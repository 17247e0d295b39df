"""The accessibility statement, in the form of the GOV.UK model statement that UK public bodies
publish under the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018."""

from __future__ import annotations

from dash import dcc, html

from components import ids
from domain.ingest.statement import StatementDetails, is_placeholder

COMPLIANCE_SENTENCES = {
    "fully": "This website is fully compliant with the Web Content Accessibility Guidelines "
             "version 2.2 AA standard.",
    "partially": "This website is partially compliant with the Web Content Accessibility "
                 "Guidelines version 2.2 AA standard, due to the non-compliances listed below.",
    "not": "This website is not compliant with the Web Content Accessibility Guidelines "
           "version 2.2 AA standard. The non-compliances are listed below.",
}

# What we know is not fully accessible, with the WCAG 2.2 success criteria it fails and why.
NON_COMPLIANCES = (
    ("The chart on each KPI page cannot be explored point by point with a keyboard or a screen "
     "reader, and its zoom and pan controls are made for a mouse. This fails WCAG 2.2 success "
     "criterion 2.1.1 (keyboard) for the chart's interactive features. Every chart has a "
     "one-sentence summary above it and all its values in a table below it, which can be reached "
     "and read with a keyboard and a screen reader."),
    ("Each filter drop-down list is preceded by a hidden stand-in field, made by the software "
     "library the dashboard is built with (Dash 4.4), that takes keyboard focus and passes it "
     "straight on to the list. Automated checkers report this against WCAG 2.2 success criterion "
     "4.1.2 (name, role, value). The defect is in the library (plotly/dash pull request 3740); "
     "we will take the library's fix when it is released."),
    ("In an open filter drop-down list, each option is a tick box inside a list option, which "
     "automated checkers report as nested controls (WCAG 2.2 success criterion 4.1.2). The lists "
     "work with a keyboard (arrow keys and Space) and the defect is in the same library; we will "
     "take its fix when it is released."),
)


def _detail(text: str):
    """A value from the statement file; a placeholder shows as one, so it is never taken as
    fact."""
    if is_placeholder(text):
        return html.Strong([html.Span("To be completed: ", className="visually-hidden"), text],
                           className="statement-placeholder")
    return text


def _contact_list(details: StatementDetails) -> html.Ul:
    email = details.contact_email
    return html.Ul([
        html.Li(["email: ", _detail(email) if is_placeholder(email)
                 else html.A(email, href=f"mailto:{email}")]),
        html.Li(["call: ", _detail(details.contact_phone)]),
    ])


def _placeholder_notice(details: StatementDetails):
    if not details.placeholders:
        return None
    return html.Div([
        html.P([html.Strong("Details to complete. "),
                f"{len(details.placeholders)} details in this statement (shown in square "
                "brackets) are still to be filled in by the council in "
                "data/accessibility/statement.json."]),
    ], className="alert alert-warning", role="note", id=ids.STATEMENT_PLACEHOLDERS)


def statement_body(details: StatementDetails) -> list:
    service, organisation = details.service_name, _detail(details.organisation)
    return [
        html.H1(f"Accessibility statement for the {service.lower()}"),
        _placeholder_notice(details),
        html.P(["This accessibility statement applies to the ", service.lower(), " run by ",
                organisation, ". It shows the status of each key performance indicator and "
                "action in the children's services improvement plan."]),
        html.P("We want as many people as possible to be able to use this website. For example, "
               "that means you should be able to:"),
        html.Ul([
            html.Li("change colours, contrast levels and fonts using your browser or device "
                    "settings"),
            html.Li("zoom in up to 400% without the text spilling off the screen"),
            html.Li("navigate the whole website using just a keyboard"),
            html.Li("navigate most of the website using speech recognition software"),
            html.Li("listen to most of the website using a screen reader (including the most "
                    "recent versions of JAWS, NVDA and VoiceOver)"),
        ]),
        html.P("Every status is shown by a word and a distinct symbol as well as a colour, and "
               "every chart has a written summary and a table of its values."),
        html.P(["AbilityNet has ",
                html.A("advice on making your device easier to use",
                       href="https://mcmw.abilitynet.org.uk/"),
                " if you have a disability."]),

        html.H2("How accessible this website is"),
        html.P("We know some parts of this website are not fully accessible:"),
        html.Ul([
            html.Li("the charts on KPI pages cannot be explored point by point with a keyboard "
                    "or screen reader (their summary and values table can)"),
            html.Li("the filter drop-down lists have a hidden stand-in field that automated "
                    "checkers report, although the lists themselves work with a keyboard and a "
                    "screen reader"),
        ]),

        html.H2("Feedback and contact information"),
        html.P("If you need information on this website in a different format, like accessible "
               "PDF, large print, easy read, audio recording or braille, contact:"),
        _contact_list(details),
        html.P(["We'll consider your request and get back to you in ",
                _detail(details.response_days), " working days. Requests are answered by ",
                _detail(details.contact_team), "."]),

        html.H2("Reporting accessibility problems with this website"),
        html.P(["We're always looking to improve the accessibility of this website. If you find "
                "any problems not listed on this page or think we're not meeting accessibility "
                "requirements, contact ", _detail(details.contact_team), " using the details "
                "above."]),

        html.H2("Enforcement procedure"),
        html.P("The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
               "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
               "Regulations 2018 (the \u2018accessibility regulations\u2019)."),
        html.P(["If you're not happy with how we respond to your complaint, contact the ",
                html.A("Equality Advisory and Support Service (EASS)",
                       href="https://www.equalityadvisoryservice.com/"),
                ". If you are in Northern Ireland and are not happy with how we respond to your "
                "complaint, contact the ",
                html.A("Equality Commission for Northern Ireland (ECNI)",
                       href="https://www.equalityni.org/Home"),
                ", who are responsible for enforcing the accessibility regulations in Northern "
                "Ireland."]),

        html.H2("Technical information about this website's accessibility"),
        html.P([organisation, " is committed to making its website accessible, in accordance "
                "with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
                "Accessibility Regulations 2018."]),
        html.H3("Compliance status"),
        html.P(COMPLIANCE_SENTENCES[details.compliance], id=ids.COMPLIANCE_STATUS),

        html.H2("Non-accessible content"),
        html.P("The content listed below is non-accessible for the following reasons."),
        html.H3("Non-compliance with the accessibility regulations"),
        html.Ul([html.Li(text) for text in NON_COMPLIANCES], id=ids.NON_COMPLIANCES),
        html.H3("Disproportionate burden"),
        html.P("We are not claiming that any fix would be a disproportionate burden."),
        html.H3("Content that's not within the scope of the accessibility regulations"),
        html.P("None known."),

        html.H2("What we're doing to improve accessibility"),
        html.P("Every change to the website is checked automatically before it is released, and "
               "any new page is included in those checks as soon as it is added. We will "
               "update this statement when the library defect listed above is fixed."),

        html.H2("Preparation of this accessibility statement"),
        html.P([f"This statement was prepared on {details.prepared:%-d %B %Y}. It was last "
                f"reviewed on {details.last_reviewed:%-d %B %Y}."], id=ids.STATEMENT_DATES),
        html.P([f"This website was last tested on {details.last_tested:%-d %B %Y} against the "
                "WCAG 2.2 AA standard. The test was carried out by the team that builds it:"]),
        html.Ul([
            html.Li("automated checks with axe-core, run in a real browser on every page and "
                    "on the states that matter (filters applied, each KPI page, a missing KPI), "
                    "for every change, in continuous integration"),
            html.Li("checks of page structure: landmarks, one main heading, headings in order, "
                    "page language and a title for every page"),
            html.Li("manual and automated keyboard checks: the skip link, the filters and the "
                    "KPI tiles used with the keyboard alone"),
            html.Li("reflow: every page at 320 CSS pixels wide (400% zoom) without scrolling "
                    "sideways"),
        ]),
        html.P(dcc.Link("Back to the overview", href="/")),
    ]
