"""A deterministic generator of fictional news articles, written as benchmark corpora.

Article ``i`` of seed ``s`` is always the same (each article has its own seeded random stream), in
every format, so corpora of different formats and sizes hold the same articles. Articles are
300-600 words of English news prose built from templates and word lists: a headline, a dateline
lead, details, quotes from named people, numbers, background and a closing line, from one of
several fictional outlets. Nothing real is named.

Corpora are streamed to disk one article at a time (never held in memory):

* ``text``: one ``.txt`` file per article in a folder per outlet (title line, blank line, a date
  line such as "March 3, 2026", blank line, paragraphs separated by blank lines);
* ``jsonl``: one ``articles.jsonl`` file of interchange records (``id``, ``text``, ``title``,
  ``source``, ``url``, ``published``, ``language``);
* ``html``: one ``.html`` page per article in a folder per outlet (head metadata, navigation, the
  ``<article>``, a footer).

Command line: ``python -m bench.corpus FORMAT N DEST [--seed S]``.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

__all__ = ["FORMATS", "Corpus", "NewsArticle", "OutputFormat", "generate", "make_article", "write"]

DEFAULT_SEED = 2026
JSONL_NAME = "articles.jsonl"

Pool = tuple[str, ...]

# --------------------------------------------------------------------------- word lists


@dataclass(frozen=True, slots=True)
class Outlet:
    slug: str
    name: str
    short: str
    utc_offset: int

    @property
    def domain(self) -> str:
        return f"{self.slug}.example"


OUTLETS: tuple[Outlet, ...] = (
    Outlet("northern-times", "The Northern Times", "Northern Times", 1),
    Outlet("meridian-press", "Meridian Press", "Meridian", 0),
    Outlet("coastal-herald", "The Coastal Herald", "Coastal Herald", 2),
    Outlet("valley-gazette", "Valley Gazette", "Valley Gazette", 1),
    Outlet("capital-review", "The Capital Review", "Capital Review", 1),
    Outlet("daily-ledger", "The Daily Ledger", "Daily Ledger", -5),
    Outlet("sentinel-online", "Sentinel Online", "Sentinel", 0),
    Outlet("harbour-chronicle", "Harbour Chronicle", "Chronicle", 2),
    Outlet("eastmere-observer", "The Eastmere Observer", "Observer", 3),
)

CITIES: Pool = (
    "Valmora", "Tarsk", "Orlen", "Dravik", "Harbour City", "Port Amsel", "Belmar", "Corvin Bay",
    "Rekova", "Sandhaven", "Eastmere", "Talvik", "Morrow Falls", "Brenholt", "Quillon",
    "Ashford Cross", "Lindgard", "Novi Karsk", "Santa Ilde", "Westerhaven", "Kelby", "Marrowgate",
    "Oskarsholm", "Pellin", "Greywater", "Solenne", "Tamsin Bay", "Hollbrook", "Vardenfels",
    "Caldmoor",
)  # fmt: skip
COUNTRIES: Pool = (
    "Kestria", "Ostrevia", "Valdoria", "Nordhavn", "Seravia", "Lusmark", "Tirel", "Abrenia",
)  # fmt: skip
REGIONS: Pool = (
    "the northern province", "the coastal region", "the eastern highlands", "the river valley",
    "the southern district", "the lake country", "the western plains", "the border region",
)  # fmt: skip
FIRST_NAMES: Pool = (
    "Anja", "Tobias", "Erik", "Sara", "Helga", "Marco", "Lena", "Idris", "Clara", "Jonas",
    "Amara", "Pavel", "Ingrid", "Rafael", "Noor", "Felix", "Mira", "Oskar", "Yara", "Daniel",
    "Elif", "Hugo", "Petra", "Samuel", "Leila", "Viktor", "Nadia", "Aaron", "Greta", "Milan",
    "Sofia", "Karim", "Astrid", "Julian", "Hanna", "Mateo", "Irena", "Bruno", "Dalia", "Emil",
)  # fmt: skip
LAST_NAMES: Pool = (
    "Fell", "Sandal", "Wren", "Lindt", "Stromberg", "Okonjo", "Marchetti", "Lorentz", "Halvorsen",
    "Brandt", "Castellan", "Dumont", "Eriksen", "Farrow", "Grieve", "Hollis", "Ivanek", "Janssen",
    "Kovac", "Laine", "Moreau", "Novak", "Orsini", "Petrov", "Quist", "Rahman", "Sorensen",
    "Tamura", "Udall", "Varga", "Weller", "Yilmaz", "Zeller", "Abbott", "Bianchi", "Caron",
    "Delacroix", "Engel", "Fischer", "Gallo",
)  # fmt: skip
WEEKDAYS: Pool = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS: Pool = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

#: Vocabulary every topic shares; a topic's own lists take precedence over these.
COMMON: dict[str, Pool] = {
    "city": CITIES,
    "other_country": COUNTRIES,
    "region": REGIONS,
    "weekday": WEEKDAYS,
    "time": ("6 a.m.", "7.30 a.m.", "9 a.m.", "noon", "2 p.m.", "4.15 p.m.", "8 p.m.", "midnight"),
    "period": (
        "this year",
        "next spring",
        "by the end of the year",
        "within two years",
        "over the next decade",
        "before the summer",
        "by 2028",
        "in the coming months",
    ),
    "industry": (
        "shipping",
        "tourism",
        "timber",
        "fishing",
        "farming",
        "light manufacturing",
        "mining",
        "the public sector",
        "logistics",
        "wine making",
    ),
    "said": (
        "said",
        "told reporters",
        "said in a statement",
        "told the {outlet}",
        "said at a news conference",
        "wrote on social media",
        "told local radio",
    ),
    "generic_role": (
        "a local resident",
        "a shop owner in the town centre",
        "a retired teacher",
        "a student at the University of {city}",
        "an economist at {city} Bank",
        "a nurse at the regional hospital",
        "a taxi driver",
        "a city councillor",
        "an analyst at the {city} Institute",
        "a spokesperson for the opposition",
    ),
    "generic": (
        "The {place} area is home to about {n_pop} people and depends heavily on {industry}.",
        "It was not immediately clear how the decision would affect the wider region.",
        "Local media reported that {n_small} similar cases had been recorded since {year}.",
        "The figures could not be independently verified.",
        "The government in {capital} has promised to publish a full report {period}.",
        "Similar measures were introduced in {other_country} in {year}, with mixed results.",
        "Opposition parties called for a debate in parliament on {weekday}.",
        "The news was met with a mixture of relief and frustration in {place}.",
        "{place} last made national headlines in {year}, when {old_event}.",
        "Officials said the total cost was estimated at {money}.",
        "A further {n_small} meetings are planned before the end of the month.",
        "According to figures from the national statistics office, {pct} of households in "
        "{region} were affected.",
        "Residents gathered outside the town hall on {weekday} evening to hear the latest updates.",
        "The regional council is due to meet again at {time} on {weekday}.",
        "Critics say the plans do not go far enough, while supporters call them a first step.",
        "Neighbouring {city} has followed the developments closely.",
        "Independent experts have urged caution in interpreting the early figures.",
        "The {outlet} was unable to reach the ministry for comment on {weekday}.",
        "Several roads into the centre of {place} remained closed on {weekday} evening.",
        "Officials expect the number of people affected to rise to about {n_people}.",
        "The announcement came after weeks of speculation in local media.",
        "A spokesperson for the ministry said more details would be released on {weekday}.",
        "The issue has divided opinion in {place} for years.",
        "Business owners in the town centre said they were watching closely.",
        "Similar plans in {city} were shelved in {year} after objections from residents.",
        "The regional government said it had set aside {money} for the coming year.",
    ),
    "old_event": (
        "a bridge collapse closed the main road for months",
        "floods forced thousands from their homes",
        "a bitter strike shut the port for two weeks",
        "the town hosted the national games",
        "a corruption scandal brought down the local council",
    ),
    "quote_frame": (
        "“{quote},” {person}, {role}, {said}.",
        "“{quote},” said {person}, {role}.",
        "{person}, {role}, {said}: “{quote}.”",
        "“{quote},” said {person}. “{quote2}.”",
        "Speaking on {weekday}, {person}, {role}, said: “{quote}.”",
        "“{quote},” {person} added.",
    ),
    "generic_quote": (
        "We have been waiting for this for a long time",
        "Nobody here has seen anything like it",
        "People are worried, and they want answers",
        "It is too early to say what this means for us",
        "We will do everything we can to help the families",
        "This is a difficult day for everyone in {place}",
        "We need clear information, not promises",
        "I think most people here understand why it had to happen",
        "We have to be honest about what went wrong",
        "It is a good start, but there is a lot more to do",
        "I hope people in {place} will give this a chance",
        "We were not consulted, and that is the real problem",
    ),
    "closing": (
        "Further updates are expected on {weekday}.",
        "The investigation is continuing.",
        "A final decision is expected {period}.",
        "The {outlet} will publish further details as they become available.",
        "The next hearing is set for {weekday}.",
        "Talks are due to resume at {time} on {weekday}.",
    ),
}


@dataclass(frozen=True, slots=True)
class Topic:
    """A kind of story: its section, headlines, leads, details, quotes and own vocabulary."""

    name: str
    section: str
    titles: Pool
    leads: Pool
    details: Pool
    quotes: Pool
    vocab: dict[str, Pool]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "strike",
        "business",
        (
            "{place} {workers} end {n_word}-day strike after pay deal",
            "Strike by {workers} halts work in {place}",
            "{org} rejects latest pay offer as {place} strike enters week {n_word}",
        ),
        (
            "{Workers} in {place} walked out on {weekday} in a dispute over pay and night shifts, "
            "bringing work at the {workplace} to a standstill, {org} said.",
            "{Workers} in {place} returned to work on {weekday} after accepting a pay deal that "
            "ended a strike which had left the {workplace} idle for days, union officials said.",
        ),
        (
            "Members of {org} voted by {n_people} to {n_small3} to accept a {pct} pay rise.",
            "The union had demanded a rise of {pct} and a limit on night shifts.",
            "Employers said the offer was the best they could afford given rising energy costs.",
            "Managers estimated the cost of the dispute at about {money}.",
            "The deal runs until the end of {year_next} and includes a new limit on overtime.",
            "Picket lines formed outside the {workplace} from {time}, with about {n_small3} "
            "people taking part.",
            "Several businesses warned of shortages if the dispute continued.",
            "It was the {ordinal} strike at the {workplace} in {n_word} years.",
            "A mediator appointed by the labour ministry met both sides on {weekday}.",
        ),
        (
            "This was never only about money",
            "Our members were exhausted, and now the limit is written into the contract",
            "We lost {n_word} days, but we kept our workers",
            "Nobody wins a strike, but this agreement is fair",
        ),
        {
            "workers": (
                "dock workers",
                "bus drivers",
                "nurses",
                "rail staff",
                "teachers",
                "refuse collectors",
                "airport staff",
                "factory workers",
            ),
            "workplace": (
                "container terminal",
                "bus depot",
                "regional hospital",
                "rail yard",
                "steel plant",
                "airport",
                "bottling plant",
            ),
            "org": (
                "the {place} Workers' Union",
                "the General Transport Union",
                "the National Health Workers' Association",
                "the Union of Public Employees",
            ),
            "role": (
                "the union's general secretary",
                "the plant manager",
                "a shift worker",
                "a labour ministry spokesperson",
                "the chief executive of the operator",
            ),
        },
    ),
    Topic(
        "quake",
        "world",
        (
            "Strong earthquake shakes {place}, {n_small} dead",
            "Rescuers race against time after {place} quake",
            "Death toll from {country} earthquake rises to {n_small}",
        ),
        (
            "An earthquake of magnitude {magnitude} struck near {place} early on {weekday}, "
            "killing at least {n_small} people and damaging hundreds of buildings, officials said.",
            "Rescue teams in {place} searched collapsed buildings through the night after a "
            "magnitude {magnitude} earthquake struck {region} of {country}.",
        ),
        (
            "The quake struck at a depth of {n_small} kilometres, the national seismic service "
            "said.",
            "At least {n_people} people spent the night in tents and sports halls.",
            "Aftershocks of up to magnitude {magnitude} were felt as far away as {city}.",
            "Power was cut to about {n_people} homes, and landslides blocked several roads.",
            "Hospitals in {place} treated {n_small3} injured people, {n_small} of them seriously.",
            "The army sent {n_small} helicopters and field kitchens to the area.",
            "Engineers began inspecting schools, bridges and the {place} dam on {weekday}.",
            "It was the strongest earthquake to hit {region} since {year}.",
            "Neighbouring {other_country} offered search dogs and medical teams.",
        ),
        (
            "The whole house was moving, and then the lights went out",
            "We are still hearing voices under the rubble, so we keep digging",
            "Our priority is to find everyone who is missing",
            "The next {n_word} days will be critical",
        ),
        {
            "magnitude": ("5.4", "5.8", "6.1", "6.3", "6.7", "7.0", "4.9"),
            "role": (
                "the head of the civil protection agency",
                "a rescue worker",
                "the regional governor",
                "a seismologist at the University of {city}",
                "a survivor",
            ),
        },
    ),
    Topic(
        "election",
        "politics",
        (
            "{party} wins most votes in {place} election",
            "Coalition talks begin after close vote in {country}",
            "{person} concedes defeat as {party} surges",
        ),
        (
            "{party} won the largest share of the vote in {weekday}'s election in {place}, "
            "according to preliminary results, but fell short of a majority.",
            "Voters in {country} went to the polls on {weekday} in an election dominated by "
            "housing costs, energy prices and the future of {industry}.",
        ),
        (
            "Turnout was {pct}, up from the previous election in {year}.",
            "{party} took {pct} of the vote, ahead of {party2} on {pct}.",
            "The result leaves {party} needing at least {n_small} more seats to govern alone.",
            "Coalition talks are expected to take several weeks.",
            "Election officials said about {n_people} postal votes had still to be counted.",
            "The campaign was marked by a bitter debate over taxes on {industry}.",
            "Observers from {other_country} said the vote had been free and fair.",
            "The new assembly will meet for the first time on {weekday}.",
        ),
        (
            "Voters have sent us a clear message, and we will listen",
            "This is not the result we hoped for",
            "The work of building a government starts tonight",
            "People want lower bills and better services, it is that simple",
        ),
        {
            "party": (
                "the Progress Party",
                "the Civic Alliance",
                "the Green League",
                "the People's Union",
                "the Liberal Centre",
                "the Rural Party",
            ),
            "party2": (
                "the Social Democrats",
                "the National Front for Renewal",
                "the Workers' Bloc",
                "the Reform Movement",
            ),
            "role": (
                "the party's leader",
                "a political scientist at the University of {city}",
                "the outgoing prime minister",
                "the head of the electoral commission",
                "a first-time voter",
            ),
        },
    ),
    Topic(
        "blast",
        "news",
        (
            "Explosion at {place} {facility} kills {n_small}",
            "Fire crews battle blaze at {place} {facility}",
            "Investigation opened after blast at {place} {facility}",
        ),
        (
            "An explosion ripped through a {facility} in {place} on {weekday}, killing at least "
            "{n_small} people and injuring dozens more, the fire service said.",
            "A large fire broke out at a {facility} on the edge of {place} late on {weekday}, "
            "sending a column of black smoke over the city.",
        ),
        (
            "About {n_small3} firefighters worked through the night to bring the blaze under "
            "control.",
            "Residents within {n_small} kilometres were told to keep their windows closed.",
            "The cause of the blast was not yet known, but investigators were examining a storage "
            "tank that held {n_small3} tonnes of {chemical}.",
            "Windows were shattered in buildings up to {n_small} kilometres away.",
            "Prosecutors opened an investigation into possible negligence on {weekday}.",
            "The {facility} had been inspected in {year} and passed all safety checks, the owner "
            "said.",
            "Air quality readings returned to normal by {time}, the environment agency said.",
            "The company, {company}, employs about {n_small3} people at the site.",
        ),
        (
            "It sounded like a bomb, the whole street shook",
            "We will find out what went wrong and who is responsible",
            "Our thoughts are with the families of those who died",
            "The fire is contained but not yet out",
        ),
        {
            "facility": (
                "chemical warehouse",
                "fuel depot",
                "fertiliser plant",
                "paint factory",
                "recycling centre",
                "grain silo",
            ),
            "chemical": ("ammonium nitrate", "solvent", "chlorine", "diesel", "paint thinner"),
            "company": (
                "Norvik Chemicals",
                "Amsel Logistics",
                "Brenholt Industries",
                "Valmora Storage",
            ),
            "role": (
                "the fire chief",
                "the city's mayor",
                "a witness",
                "a company spokesperson",
                "the regional prosecutor",
            ),
        },
    ),
    Topic(
        "court",
        "news",
        (
            "Court rules against {company} in {place} case",
            "{person} jailed for {n_small} years over {crime}",
            "Trial opens in {place} over {crime}",
        ),
        (
            "A court in {place} on {weekday} sentenced a former official to {n_small} years in "
            "prison for {crime}, ending a trial that lasted {n_word} months.",
            "The supreme court of {country} ruled on {weekday} that {company} had broken "
            "competition law, ordering it to pay {money} in fines.",
        ),
        (
            "The judge said the evidence had been overwhelming.",
            "Defence lawyers said they would appeal against the verdict.",
            "Prosecutors had asked for a sentence of {n_small} years.",
            "More than {n_small} witnesses gave evidence during the trial.",
            "The case began in {year} after a complaint by {n_small} former employees.",
            "The court also ordered the seizure of assets worth {money}.",
            "Protesters gathered outside the courthouse before the verdict was read at {time}.",
            "The ruling can be appealed within {n_small} days.",
        ),
        (
            "Justice has been done, but it has taken far too long",
            "We respect the court but we disagree with its reasoning",
            "This ruling sends a clear signal",
            "My client has always maintained his innocence",
        ),
        {
            "crime": (
                "fraud",
                "bribery",
                "money laundering",
                "tax evasion",
                "abuse of office",
                "price fixing",
            ),
            "company": ("Kelby Energy", "Greywater Telecom", "Solenne Foods", "Pellin Bank"),
            "role": (
                "the defence lawyer",
                "the chief prosecutor",
                "a legal expert at the University of {city}",
                "a spokesperson for the court",
            ),
        },
    ),
    Topic(
        "transport",
        "business",
        (
            "New rail line links {place} and {destination}",
            "{place} airport cancels {n_small3} flights as storm hits",
            "Bridge repairs to close main road into {place} for {n_word} months",
        ),
        (
            "A new high-speed rail line between {place} and {destination} opened on {weekday}, "
            "cutting the journey time to {n_small} minutes, the national railway said.",
            "Hundreds of passengers were stranded at {place} airport on {weekday} after high winds "
            "forced the cancellation of {n_small3} flights.",
        ),
        (
            "The project cost {money} and took {n_word} years to build.",
            "Trains will run every {n_small} minutes at peak times.",
            "About {n_people} passengers a day are expected to use the line by {year_next}.",
            "Airlines said they would rebook passengers free of charge.",
            "Delays on the motorway stretched for {n_small} kilometres at {time}.",
            "Ticket prices will rise by {pct} from next month.",
            "The works were delayed by a shortage of steel and a dispute with contractors.",
            "Cyclists and pedestrians will be able to use a temporary bridge.",
        ),
        (
            "This changes everything for people who commute",
            "We apologise to all passengers for the disruption",
            "Safety comes first, always",
            "It used to take me {n_word} hours to get to work",
        ),
        {
            "destination": CITIES,
            "role": (
                "the transport minister",
                "the airport's director",
                "a commuter",
                "a spokesperson for the national railway",
                "a civil engineer",
            ),
        },
    ),
    Topic(
        "health",
        "health",
        (
            "{place} hospital opens new {ward} unit",
            "Health officials report rise in {illness} cases in {region}",
            "Waiting times at {place} hospitals fall for first time in {n_word} years",
        ),
        (
            "Health officials in {place} reported {n_small3} new cases of {illness} this week and "
            "urged residents to seek treatment early.",
            "A new {ward} unit opened at {place} General Hospital on {weekday}, adding {n_small} "
            "beds to a service that has long struggled with demand.",
        ),
        (
            "The unit cost {money} and will employ {n_small3} staff.",
            "Average waiting times fell to {n_small} weeks, the health ministry said.",
            "Doctors said most patients recovered within {n_small} days.",
            "Cases have risen by {pct} since the start of the year.",
            "The hospital treated {n_people} patients last year.",
            "A vaccination campaign for people over {n_small} begins on {weekday}.",
            "Nurses' unions welcomed the investment but warned of staff shortages.",
            "The health ministry plans to open similar units in {city} {period}.",
        ),
        (
            "Most cases are mild, but people should not ignore the symptoms",
            "This unit will save lives, it is as simple as that",
            "We need more staff, not just more beds",
            "Families have waited far too long for this",
        ),
        {
            "ward": ("cardiac", "children's", "stroke", "cancer", "maternity", "emergency"),
            "illness": ("measles", "influenza", "whooping cough", "norovirus", "dengue fever"),
            "role": (
                "the hospital's medical director",
                "the regional health commissioner",
                "a paediatrician",
                "a patient",
                "the head of the nurses' union",
            ),
        },
    ),
    Topic(
        "tech",
        "technology",
        (
            "{company} unveils new {product} at {place} event",
            "{company} to open research centre in {place}",
            "Shares in {company} jump after {product} launch",
        ),
        (
            "{company} on {weekday} unveiled its latest {product}, which it said would go on sale "
            "in {n_small} countries {period}.",
            "{company} will open a research centre in {place} employing {n_small3} engineers, the "
            "company said on {weekday}.",
        ),
        (
            "The {product} will cost {price} in its basic version.",
            "Shares in the company rose {pct} in early trading.",
            "Analysts said the launch came at a difficult time for the industry.",
            "The company sold about {n_people} units of the previous model.",
            "The research centre will focus on batteries and chip design.",
            "Critics raised concerns about how the device collects personal data.",
            "{company} was founded in {place} in {year} and now employs {n_people} people.",
            "The company said the device's battery would last up to {n_small} hours.",
        ),
        (
            "This is the most important product we have ever made",
            "The competition is fierce, but we are ready",
            "The price will decide whether this succeeds",
            "We want the best engineers in the world to come to {place}",
        ),
        {
            "company": (
                "Novaline",
                "Kestrel Systems",
                "Quillon Labs",
                "Ostra Devices",
                "Brightmoor Tech",
            ),
            "price": ("€299", "$449", "£999", "€1,199", "$799"),
            "product": (
                "smartphone",
                "electric scooter",
                "tablet",
                "smartwatch",
                "home battery",
                "laptop",
            ),
            "role": (
                "the company's chief executive",
                "a technology analyst at {city} Bank",
                "the head of product design",
                "an early customer",
            ),
        },
    ),
    Topic(
        "sport",
        "sport",
        (
            "{team} beat {team2} {score} to reach final",
            "{team} coach {person} resigns after {n_word} straight defeats",
            "{place} to host {competition} in {year_next}",
        ),
        (
            "{team} beat {team2} {score} in front of {n_people} fans in {place} on {weekday} to "
            "reach the final of the {competition}.",
            "{place} was chosen on {weekday} to host the {competition}, beating bids from {city} "
            "and {city}.",
        ),
        (
            "The winning goal came {n_small} minutes from the end.",
            "It was the club's first final since {year}.",
            "The stadium will be expanded to hold {n_people} spectators.",
            "Organisers expect the event to bring in {money} for local businesses.",
            "{team2} had a man sent off shortly after half-time.",
            "Tickets for the final sold out within {n_small} minutes.",
            "The team's captain was carried off with an ankle injury.",
            "Supporters celebrated in the streets of {place} until {time}.",
        ),
        (
            "I am so proud of these players",
            "We did not deserve to lose like that",
            "This is a huge day for the whole city",
            "Nobody gave us a chance, and look at us now",
        ),
        {
            "team": ("{place} United", "FC {place}", "{place} Rovers", "Athletic {place}"),
            "team2": ("{city} City", "Sporting {city}", "{city} Wanderers", "Real {city}"),
            "score": ("2-1", "1-0", "3-2", "4-1", "2-0", "3-1"),
            "competition": (
                "national cup",
                "regional championship",
                "European youth games",
                "continental sailing regatta",
            ),
            "role": (
                "the head coach",
                "the club's captain",
                "a lifelong supporter",
                "the chairman of the organising committee",
            ),
        },
    ),
    Topic(
        "culture",
        "culture",
        (
            "{place} museum opens landmark exhibition of {art}",
            "{festival} returns to {place} with record crowds",
            "Lost {art} found in {place} attic goes on show",
        ),
        (
            "More than {n_small3} {art} go on display on {weekday} at the National Museum in "
            "{place}, in what curators call the most ambitious show in its history.",
            "The {festival} opened in {place} on {weekday}, with organisers expecting "
            "{n_people} visitors over {n_word} days.",
        ),
        (
            "The exhibition brings together loans from {n_small} collections across the continent.",
            "Tickets cost {money} and are free for children under {n_small}.",
            "Some of the works have not been seen in public for centuries.",
            "The festival programme includes {n_small3} concerts and readings.",
            "Restoration of the centrepiece took {n_word} years.",
            "The museum expects {n_people} visitors before the show closes {period}.",
            "A section for children lets visitors draw their own maps on an interactive wall.",
            "Hotels in {place} reported that they were almost fully booked.",
        ),
        (
            "We want visitors to see the blank spaces as clearly as the coastlines",
            "It is a dream come true for everyone who worked on this",
            "Culture is what brings a city together",
            "You cannot understand {country} without seeing these works",
        ),
        {
            "art": (
                "medieval maps",
                "paintings",
                "manuscripts",
                "sculptures",
                "photographs",
                "tapestries",
            ),
            "festival": (
                "Harbour Lights Festival",
                "{place} Jazz Festival",
                "Festival of Books",
                "Midsummer Film Festival",
            ),
            "role": (
                "the museum's chief curator",
                "the festival director",
                "a visitor",
                "the culture minister",
                "an art historian",
            ),
        },
    ),
    Topic(
        "environment",
        "environment",
        (
            "Drought forces water restrictions in {place}",
            "Floods cut off villages around {place}",
            "{place} to plant {n_people} trees in climate plan",
        ),
        (
            "Authorities in {place} imposed water restrictions on {weekday} after {n_word} months "
            "of below-average rainfall left reservoirs at {pct} of capacity.",
            "Heavy rain caused rivers to burst their banks around {place} on {weekday}, cutting "
            "off {n_small} villages and forcing {n_people} people from their homes.",
        ),
        (
            "Farmers said crop yields could fall by as much as {pct}.",
            "The river peaked at {n_small} metres above its normal level at {time}.",
            "Residents were asked not to water gardens or wash cars.",
            "Emergency shelters were opened in {n_small} schools.",
            "Scientists linked the extreme weather to a warming climate.",
            "The plan, costing {money}, also includes new cycle lanes and solar panels on schools.",
            "Rainfall in {region} has been below average in {n_small} of the last {n_small3} "
            "months.",
            "Insurance companies estimated the damage at {money}.",
        ),
        (
            "We have never seen the river this high",
            "Every drop counts now",
            "This is what climate change looks like on the ground",
            "We lost half of our harvest in one night",
        ),
        {
            "role": (
                "the head of the water authority",
                "a farmer",
                "a climate scientist at the University of {city}",
                "the environment minister",
                "the mayor",
            ),
        },
    ),
    Topic(
        "economy",
        "business",
        (
            "Inflation in {country} slows to {pct}",
            "Central bank of {country} holds rates at {pct}",
            "{company} to cut {n_small3} jobs at {place} plant",
        ),
        (
            "Consumer prices in {country} rose by {pct} in the year to last month, down from "
            "{pct} a month earlier, the statistics office said on {weekday}.",
            "{company} said on {weekday} it would cut {n_small3} jobs at its plant in {place} as "
            "demand for its products weakened.",
        ),
        (
            "Food prices rose {pct}, while energy costs fell for the {ordinal} month in a row.",
            "Economists had expected a figure of {pct}.",
            "The central bank's next meeting is on {weekday}.",
            "The company reported a loss of {money} for the last quarter.",
            "Unemployment in {region} stands at {pct}, above the national average.",
            "The government said it would help affected workers find new jobs.",
            "Retail sales fell by {pct} in the same period.",
            "Exports to {other_country} rose sharply, driven by demand for {industry} products.",
        ),
        (
            "The worst is behind us, but households are still under pressure",
            "This is a painful decision, and we did not take it lightly",
            "We expect prices to keep easing {period}",
            "The town cannot afford to lose these jobs",
        ),
        {
            "company": ("Marrowgate Motors", "Talvik Paper", "Caldmoor Steel", "Rekova Foods"),
            "role": (
                "the central bank governor",
                "an economist at {city} Bank",
                "the finance minister",
                "the works council chairman",
                "a worker at the plant",
            ),
        },
    ),
)


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True, slots=True)
class NewsArticle:
    """One generated article."""

    index: int
    outlet: Outlet
    section: str
    title: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.outlet.slug}-{self.index:07d}"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:60].rstrip("-")

    @property
    def url(self) -> str:
        day = self.published.strftime("%Y/%m/%d")
        return f"https://{self.outlet.domain}/{self.section}/{day}/{self.slug}-{self.index}"

    @property
    def date_line(self) -> str:
        """The date as a news page prints it: ``March 3, 2026``."""
        p = self.published
        return f"{MONTHS[p.month - 1]} {p.day}, {p.year}"


_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


def _money(rng: random.Random) -> str:
    amount = rng.choice((1.2, 2.5, 3.8, 4.2, 9, 12, 18.5, 27, 40, 65, 120, 310))
    return f"{rng.choice('$€£')}{amount} {rng.choice(('million', 'million', 'billion'))}"


#: Slots filled with a fresh number every time they are used.
_NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "n_small": lambda r: str(r.randint(2, 48)),
    "n_small3": lambda r: str(r.randint(60, 950)),
    "n_people": lambda r: f"{r.randint(1_200, 98_000):,}",
    "n_pop": lambda r: f"{r.randint(20, 900) * 1_000:,}",
    "n_word": lambda r: r.choice(_NUMBER_WORDS),
    "ordinal": lambda r: r.choice(_ORDINALS),
    "pct": lambda r: f"{r.randint(1, 79)}.{r.randint(0, 9)}%",
    "money": _money,
    "year": lambda r: str(r.randint(1998, 2024)),
    "year_next": lambda r: str(r.randint(2026, 2031)),
}


def _pools(topic: Topic) -> dict[str, Pool]:
    """Every vocabulary list a topic's templates can name: its own first, then the common ones;
    quotes and roles mix the topic's with the generic ones."""
    return {
        **COMMON,
        **topic.vocab,
        "quotes": topic.quotes + COMMON["generic_quote"],
        "role": topic.vocab.get("role", ()) + COMMON["generic_role"],
    }


_POOLS: dict[str, dict[str, Pool]] = {topic.name: _pools(topic) for topic in TOPICS}


#: Slots that keep their first value for the whole article: one company, one team per story.
_STICKY = frozenset(
    (
        "company", "product", "team", "team2", "party", "party2", "workers", "workplace",
        "facility", "org", "art", "festival", "ward", "illness", "chemical", "crime",
        "competition", "destination",
    )
)  # fmt: skip


class _Slots(dict[str, str]):
    """Template slots: fixed per article where set, else drawn afresh on each use (``format_map``
    calls ``__missing__``): a number, a person's name or a pick from the topic's word lists."""

    def __init__(self, rng: random.Random, topic: Topic, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.rng = rng
        self.pools = _POOLS[topic.name]
        quotes = list(self.pools["quotes"])
        rng.shuffle(quotes)
        self._quotes = itertools.cycle(quotes)  # no quote twice until all were used

    def __missing__(self, key: str) -> str:
        maker = _NUMBERS.get(key)
        if maker is not None:
            return maker(self.rng)
        if key == "person":
            return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        if key[0].isupper():  # {Workers}: the word capitalised
            word = self[key.lower()]
            return word[0].upper() + word[1:]
        value = self.fill(self.pick("quotes" if key == "quote2" else key))
        if key in _STICKY:
            self[key] = value
        return value

    def pick(self, key: str) -> str:
        if key == "quotes":
            return next(self._quotes)
        return self.rng.choice(self.pools[key])

    def fill(self, template: str) -> str:
        return template.format_map(self) if "{" in template else template


def _fixed_slots(rng: random.Random, outlet: Outlet) -> dict[str, str]:
    return {
        "place": rng.choice(CITIES),
        "country": rng.choice(COUNTRIES),
        "capital": rng.choice(CITIES),
        "outlet": outlet.short,
    }


def _body_sentences(slots: _Slots, topic: Topic, words: int) -> Iterator[str]:
    """Sentences after the lead, about ``words`` words in all, ending with a closing line."""
    rng = slots.rng
    count = 0
    pool = [*topic.details, *COMMON["generic"]]
    while True:
        rng.shuffle(pool)
        for i, template in enumerate(pool):
            if i % 3 == 2:
                template = slots.pick("quote_frame").replace("{quote}", slots.pick("quotes"))
            sentence = slots.fill(template)
            yield sentence
            count += sentence.count(" ") + 1
            if count >= words:
                yield slots.fill(slots.pick("closing"))
                return


def _paragraphs(rng: random.Random, lead: str, sentences: Iterator[str]) -> tuple[str, ...]:
    paragraphs = [lead]
    group: list[str] = []
    size = rng.randint(1, 3)
    for sentence in sentences:
        group.append(sentence)
        if len(group) >= size or sentence.startswith("“"):
            paragraphs.append(" ".join(group))
            group, size = [], rng.randint(1, 3)
    if group:
        paragraphs.append(" ".join(group))
    return tuple(paragraphs)


def _published(rng: random.Random, outlet: Outlet) -> datetime:
    start = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)
    moment = start + timedelta(days=rng.randrange(460), minutes=rng.randrange(15 * 60))
    return moment.astimezone(timezone(timedelta(hours=outlet.utc_offset)))


def make_article(index: int, seed: int = DEFAULT_SEED) -> NewsArticle:
    """Article ``index`` of the corpus generated from ``seed`` (the same on every call)."""
    rng = random.Random(seed * 10_000_019 + index)
    outlet = rng.choice(OUTLETS)
    topic = rng.choice(TOPICS)
    slots = _Slots(rng, topic, _fixed_slots(rng, outlet))
    published = _published(rng, outlet)
    slots["weekday"] = WEEKDAYS[published.weekday()]
    dateline = f"{slots['place'].upper()}, {MONTHS[published.month - 1]} {published.day}"
    lead = f"{dateline} ({outlet.short}) — {slots.fill(rng.choice(topic.leads))}"
    body = _body_sentences(slots, topic, rng.randint(300, 600) - lead.count(" "))
    return NewsArticle(
        index=index,
        outlet=outlet,
        section=topic.section,
        title=slots.fill(rng.choice(topic.titles)),
        author=slots["person"],
        published=published,
        paragraphs=_paragraphs(rng, lead, body),
    )


def generate(n: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[NewsArticle]:
    """Articles ``start`` … ``start + n - 1``, one at a time."""
    for index in range(start, start + n):
        yield make_article(index, seed)


# --------------------------------------------------------------------------- formats


def render_text(a: NewsArticle) -> str:
    return f"{a.title}\n\n{a.date_line}\n\n{a.text}\n"


def render_jsonl(a: NewsArticle) -> str:
    record = {
        "id": a.id,
        "text": a.text,
        "title": a.title,
        "source": a.outlet.name,
        "url": a.url,
        "published": a.published.isoformat(),
        "language": "en",
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


_NAV = "".join(
    f'<li><a href="/{s}">{s.title()}</a></li>'
    for s in ("news", "world", "politics", "business", "technology", "culture", "sport")
)


def render_html(a: NewsArticle) -> str:
    e = html.escape
    title, site = e(a.title), e(a.outlet.name)
    paragraphs = "\n".join(f"      <p>{e(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {site}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{site}">
  <meta property="og:url" content="{e(a.url)}">
  <meta property="article:published_time" content="{a.published.isoformat()}">
  <meta property="article:section" content="{a.section.title()}">
  <meta name="author" content="{e(a.author)}">
  <link rel="canonical" href="{e(a.url)}">
</head>
<body>
  <header>
    <div class="brand"><a href="/">{site}</a></div>
    <nav><ul class="menu">{_NAV}</ul></nav>
  </header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By {e(a.author)} · {e(a.date_line)}</p>
{paragraphs}
    </article>
  </main>
  <footer>
    <p>© {a.published.year} {site}. All rights reserved.</p>
    <ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li></ul>
  </footer>
</body>
</html>
"""


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """How a corpus is laid out: ``file_for`` names one file per article (relative to the
    corpus folder), or is None for a single file of records (``articles.jsonl``)."""

    name: str
    render: Callable[[NewsArticle], str]
    file_for: Callable[[NewsArticle], str] | None = None


FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat(
        "text", render_text, lambda a: f"{a.outlet.slug}/{a.index:07d}-{a.slug}.txt"
    ),
    "jsonl": OutputFormat("jsonl", render_jsonl),
    "html": OutputFormat(
        "html", render_html, lambda a: f"{a.outlet.slug}/{a.index:07d}-{a.slug}.html"
    ),
}


@dataclass(frozen=True, slots=True)
class Corpus:
    """A corpus on disk: ``path`` is the file (JSONL) or folder to ingest."""

    format: str
    path: Path
    articles: int
    bytes: int
    seconds: float


def _write_one_file(fmt: OutputFormat, articles: Iterator[NewsArticle], path: Path) -> int:
    total = 0
    with path.open("wb") as fh:
        for article in articles:
            total += fh.write(fmt.render(article).encode("utf-8"))
    return total


def _write_many_files(
    fmt: OutputFormat,
    file_for: Callable[[NewsArticle], str],
    articles: Iterator[NewsArticle],
    root: Path,
) -> int:
    total = 0
    made: set[Path] = set()
    for article in articles:
        path = root / file_for(article)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        total += path.write_bytes(fmt.render(article).encode("utf-8"))
    return total


def write(fmt: str, n: int, dest: Path, seed: int = DEFAULT_SEED) -> Corpus:
    """Write ``n`` articles in format ``fmt`` under the folder ``dest`` (created if needed)."""
    spec = FORMATS[fmt]
    dest.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    articles = generate(n, seed)
    if spec.file_for is None:
        path = dest / JSONL_NAME
        size = _write_one_file(spec, articles, path)
    else:
        path = dest
        size = _write_many_files(spec, spec.file_for, articles, dest)
    return Corpus(fmt, path, n, size, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus", description=__doc__.split("\n")[0]
    )
    parser.add_argument("format", choices=sorted(FORMATS))
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("dest", type=Path, help="the folder to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    corpus = write(args.format, args.n, args.dest, args.seed)
    print(
        f"{corpus.articles} {corpus.format} articles, {corpus.bytes / 1_048_576:.1f} MB, "
        f"in {corpus.path} ({corpus.seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
