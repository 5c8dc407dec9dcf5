#!/usr/bin/env python3
"""A Birmingham Partners site of any size, the same every time, to time brum with.

    python3 bench/corpus.py --out corpus --stories 10000
    python3 bench/corpus.py --out corpus-hugo --stories 10000 --format hugo
    brum build --root corpus --output out
    python3 bench/corpus.py --check-build corpus out

--format brum (the default) writes a brum site: site.toml, content/ and
static/, laid out and written as docs/content.md describes. --format hugo
writes the same content as a Hugo site (config.toml, TOML front matter, and a
small theme in layouts/ that does the kinds of work brum's default theme
does), so that the two can be built side by side (bench/run.py).

The Markdown of every item is the same in both formats; Hugo only gets its own
spelling of the summary marker, `<!--more-->`. Each item is made from its own
random stream, named by the seed, its kind and its index, so the same
arguments write the same bytes, whatever --jobs is.

--check-build DIR OUT checks a build of the corpus in DIR, by brum or Hugo:
that OUT has a page for every published item and none for drafts or stories
dated later than the build (SOURCE_DATE_EPOCH when it is set, else the clock).

Python 3.11 or later, standard library only. bench/README.md has more.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from collections import namedtuple

if sys.version_info < (3, 11):
    sys.exit("bench/corpus.py needs Python 3.11 or later")

import tomllib  # noqa: E402 (new in 3.11)

# The version of what is written: the same version and arguments give the same bytes.
CORPUS_VERSION = 1
# Written at the top of every corpus, with the arguments; brum leaves dotfiles alone.
MARKER = ".corpus.json"
BASE_URL = "https://www.birminghampartners.com"
# The one picture: every story image and partner logo in the corpus is this file.
PLACEHOLDER = "/images/placeholder.jpg"

# ---------------------------------------------------------------------------
# The site's settings: a full site.toml in docs/content.md's format, and the
# same values again for Hugo's config.toml
# ---------------------------------------------------------------------------

SITE_TOML = '''\
title = "Birmingham Partners"
base_url = "https://www.birminghampartners.com"
description = "A coalition, not a committee: building a shared vision for Birmingham."
language = "en-GB"
theme = "default"            # folder under themes/

[campaign]
name = "What makes Birmingham great?"

[campaign.questions]         # key = the question as shown
great = "What's great about Birmingham?"
future = "What will make Birmingham successful in the future?"

[topics]                     # key = display name; unknown keys in content are errors
economy = "Local economic growth"
education = "Education"
aspiration = "Aspiration"
inclusion = "Social inclusion"
inequality = "Inequality"
culture = "Culture"
quality-of-life = "Quality of life"

[sectors]
public = "Public sector"
private = "Private sector"
voluntary = "Voluntary and community sector"
education = "Universities and colleges"

[commitments]
lead-conversations = "Lead conversations"
host-events = "Host events"
provide-information = "Provide information"
communications = "Join the communications team"

[social]
twitter = "BhamPartners"
facebook = "https://www.facebook.com/birminghampartners"

[build]
output_dir = "public"
stories_per_page = 10
'''

SITE_TITLE = "Birmingham Partners"
SITE_DESCRIPTION = "A coalition, not a committee: building a shared vision for Birmingham."
CAMPAIGN_NAME = "What makes Birmingham great?"
QUESTIONS = [
    ("great", "What's great about Birmingham?"),
    ("future", "What will make Birmingham successful in the future?"),
]
TOPICS = [
    ("economy", "Local economic growth"),
    ("education", "Education"),
    ("aspiration", "Aspiration"),
    ("inclusion", "Social inclusion"),
    ("inequality", "Inequality"),
    ("culture", "Culture"),
    ("quality-of-life", "Quality of life"),
]
SECTORS = [
    ("public", "Public sector"),
    ("private", "Private sector"),
    ("voluntary", "Voluntary and community sector"),
    ("education", "Universities and colleges"),
]
COMMITMENTS = [
    ("lead-conversations", "Lead conversations"),
    ("host-events", "Host events"),
    ("provide-information", "Provide information"),
    ("communications", "Join the communications team"),
]
TOPIC_KEYS = [k for k, _ in TOPICS]
COMMITMENT_KEYS = [k for k, _ in COMMITMENTS]
TWITTER = "BhamPartners"
FACEBOOK = "https://www.facebook.com/birminghampartners"

STORY_START = dt.date(2015, 1, 1)
STORY_END = dt.date(2026, 12, 31)
TIMELINE_END = dt.date(2027, 12, 31)

# ---------------------------------------------------------------------------
# What the text is made of: Birmingham, the campaign, and the people in it
# ---------------------------------------------------------------------------

PLACES = [
    "Digbeth", "the Jewellery Quarter", "Moseley", "Kings Heath", "Balsall Heath",
    "Sparkbrook", "Small Heath", "Handsworth", "Erdington", "Sutton Coldfield",
    "Selly Oak", "Bournville", "Edgbaston", "Harborne", "Acocks Green", "Hall Green",
    "Northfield", "Longbridge", "Kings Norton", "Stirchley", "Ladywood", "Aston",
    "Nechells", "Saltley", "Washwood Heath", "Hodge Hill", "Castle Vale",
    "Kingstanding", "Perry Barr", "Lozells", "Newtown", "Bordesley Green", "Yardley",
    "Sheldon", "Shard End", "Quinton", "Bartley Green", "Weoley Castle", "Druids Heath",
    "Frankley", "Tyseley", "Sparkhill", "Highgate", "Southside", "Eastside",
    "Brindleyplace", "Hockley", "Winson Green", "Soho", "Stechford", "Ward End",
    "Billesley", "Brandwood End", "Cotteridge", "Gravelly Hill", "Witton", "Lee Bank",
    "Moor Green", "Bromford", "Garretts Green",
]
STREETS = [
    "Soho Road", "Ladypool Road", "Stratford Road", "Coventry Road", "Alum Rock Road",
    "Bristol Road", "Hagley Road", "Broad Street", "Corporation Street", "Moseley Road",
    "Dudley Road", "Stirchley High Street", "Digbeth High Street", "Lozells Road",
    "Warwick Road", "Pershore Road", "Chester Road", "Lichfield Road", "Walsall Road",
    "Kingsbury Road", "Washwood Heath Road", "Bordesley Green Road",
]
ASSETS = [
    "the canal network", "the Library of Birmingham", "the Balti Triangle",
    "the Custard Factory", "Symphony Hall", "the Jewellery Quarter’s workshops",
    "Villa Park", "St Andrew’s", "Edgbaston cricket ground", "the Bull Ring markets",
    "Brindleyplace", "the Lickey Hills", "Sutton Park", "the Back to Backs",
    "Soho House", "the Museum and Art Gallery", "Digbeth’s street art", "the Electric Cinema",
    "Moseley Folk Festival", "Cannon Hill Park", "the Hippodrome", "the MAC",
    "the Birmingham Botanical Gardens", "Cadbury World", "the Rep", "Ikon Gallery",
    "the Coffin Works", "Millennium Point", "the Roundhouse", "Kings Heath Park",
    "the Commonwealth Games legacy", "Curzon Street station", "the Midland Metro",
    "the Botanical Gardens’ glasshouses", "the Pen Museum", "Birmingham Pride",
    "the St Patrick’s Day parade", "Vaisakhi in Handsworth Park", "the Frankfurt Christmas Market",
    "Eid in the Park at Small Heath", "the Birmingham Literature Festival",
]
ORGS = [
    "Birmingham City University", "the University of Birmingham", "Aston University",
    "the MAC", "the Greater Birmingham Chambers of Commerce", "Birmingham City Council",
    "BVSC", "Birmingham Museums Trust", "the Library of Birmingham", "Birmingham Hippodrome",
    "the CBSO", "Ikon Gallery", "Birmingham Rep", "Newman University",
    "University College Birmingham", "Birmingham Metropolitan College",
    "South and City College", "the Jewellery Quarter BID", "Colmore Business District",
    "Southside BID", "the West Midlands Combined Authority", "Birmingham Royal Ballet",
    "Birmingham Children’s Trust", "the Canal & River Trust", "Midland Heart",
    "the Future Council team", "the steering group",
]
FIRST_NAMES = [
    "Amira", "Zoë", "Siobhán", "Bartłomiej", "Małgorzata", "José", "Chloé", "Ayşe",
    "Renée", "Priya", "Tendai", "Gurpreet", "Mohammed", "Łukasz", "Anaïs", "Nnamdi",
    "Hannah", "Declan", "Fatima", "Kwame", "Søren", "Tomás", "Aoife", "Jiří", "Noémie",
    "Sarah", "James", "Aisha", "Daniel", "Grace", "Imran", "Olivia", "Rahul", "Yasmin",
    "Tom", "Ewa", "Marek", "Shabana", "Winston", "Delroy", "Marcia", "Bilal", "Harpreet",
    "Sophie", "Chen", "Mei", "Kofi", "Ama", "Ruth", "Paddy", "Zainab", "Hamza", "Agnieszka",
    "Beatriz", "Ngozi", "Catherine", "David", "Diane", "Cliff", "Jerry", "Sally",
]
SURNAMES = [
    "Hussain", "Clarke", "O’Neill", "Nowak", "Kowalska", "Fernández", "Martin", "Demir",
    "Walker", "Sharma", "Moyo", "Kaur", "Iqbal", "Wiśniewski", "Dubois", "Okafor",
    "Brooks", "Murphy", "Begum", "Mensah", "Jensen", "Ó Briain", "Novák", "Ahmed", "Khan",
    "Patel", "Singh", "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans",
    "Thomas", "Johnson", "Roberts", "Green", "Hall", "Wood", "Campbell", "Bennett",
    "Edwards", "Hughes", "Morris", "Lewis", "Mahmood", "Akhtar", "Rahman", "Chowdhury",
    "Zhang", "Nguyen", "Mwangi", "Adeyemi", "Francis", "Grant", "Reid", "Lloyd", "Sandhu",
    "Gill", "Müller", "Łęcka",
]
THEMES = [
    "local economic growth", "education", "aspiration", "social inclusion", "inequality",
    "culture", "quality of life", "skills and apprenticeships", "child poverty",
    "health and wellbeing", "youth unemployment", "clean air", "green spaces",
    "community cohesion", "volunteering", "small business support", "affordable housing",
    "public transport", "digital inclusion", "the night-time economy", "sport and play",
    "the creative industries", "manufacturing", "civic leadership", "food poverty",
]
GROUPS = [
    "young people", "small businesses", "older residents", "new arrivals", "carers",
    "faith groups", "students", "apprentices", "shop owners", "volunteers",
    "school leavers", "parents", "tenants", "artists and makers", "local employers",
    "disabled residents", "community organisers", "graduates",
]
ADJECTIVES = [
    "diverse", "young", "creative", "ambitious", "resilient", "welcoming",
    "entrepreneurial", "generous", "inventive", "outward-looking", "hard-working",
    "surprising",
]
BUSINESSES = [
    "bakery", "bike workshop", "café", "printworks", "jewellery studio", "community shop",
    "design agency", "barber’s", "youth club", "food bank", "recording studio",
    "allotment society", "textile workshop", "bookshop",
]
WHEN = ["in October", "before Christmas", "next spring", "in the new year",
        "by the end of the year", "in time for the summer", "later this month"]
QUOTES = [
    "Birmingham’s people are its greatest asset.",
    "We make things here — we always have.",
    "Give young people a reason to stay.",
    "The canals are our hidden treasure.",
    "This is a city of a thousand trades.",
    "Nobody tells you how friendly it is until you live here.",
    "We don’t need another strategy; we need to talk to each other.",
    "Our diversity is not a problem to be managed, it’s our strength.",
    "If you want something done in Birmingham, ask a volunteer.",
    "The future is already here — it’s just unevenly spread across the wards.",
    "I came for a year and stayed for thirty.",
    "Start with what we have, not with what we lack.",
    "Every neighbourhood has a story worth telling.",
    "It’s a coalition, not a committee — that’s the point.",
]
SOURCES = [
    "Birmingham City Council, *Population and Migration Topic Report*, 2013",
    "Sir Bob Kerslake, *The way forward: an independent review of the governance and "
    "organisational capabilities of Birmingham City Council*, December 2014",
    "Office for National Statistics, Census 2021",
    "Notes from the steering group’s first meeting, 27 May 2015",
    "Responses collected at the MAC, 8 July 2015",
    "Greater Birmingham Chambers of Commerce, *Quarterly Economic Survey*",
    "West Midlands Combined Authority, *State of the Region* report",
]
EXTERNAL_LINKS = [
    ("the Kerslake review", "https://www.gov.uk/government/publications/the-way-forward-an-independent-review-of-the-governance-and-organisational-capabilities-of-birmingham-city-council"),
    ("Birmingham City Council", "https://www.birmingham.gov.uk/"),
    ("Birmingham City University", "https://www.bcu.ac.uk/"),
    ("the University of Birmingham", "https://www.birmingham.ac.uk/"),
    ("the MAC", "https://macbirmingham.co.uk/"),
    ("the Chamber of Commerce", "https://www.greaterbirminghamchambers.com/"),
    ("the Combined Authority", "https://www.wmca.org.uk/"),
    ("the Office for National Statistics", "https://www.ons.gov.uk/"),
    ("Birmingham Museums", "https://www.birminghammuseums.org.uk/"),
    ("the Canal & River Trust", "https://canalrivertrust.org.uk/"),
    ("our Facebook page", "https://www.facebook.com/birminghampartners"),
    ("@BhamPartners", "https://twitter.com/BhamPartners"),
    ("the Birmingham entry on Wikipedia", "https://en.wikipedia.org/wiki/Birmingham"),
]
POLISH = [
    "At the {place} stall a volunteer from the Polish Saturday school summed it up: "
    "*„Birmingham to nasze miasto”* — “Birmingham is our city”.",
    "A banner made by the Polish community centre read *Razem możemy więcej* "
    "(“together we can do more”).",
    "Małgorzata, who has lived in {place} since 2006, wrote her answer in Polish: "
    "*„Tu czuję się jak w domu”* — “here I feel at home”.",
]
URDU = [
    "One postcard from {place} said *برمنگھم ہمارا شہر ہے* — “Birmingham is our city” in Urdu.",
    "The youth group chose an Urdu slogan for their banner, *مل کر ہم زیادہ کر سکتے ہیں* "
    "(“together we can do more”).",
    "Imran translated the two questions into Urdu for his customers: "
    "*برمنگھم میں کیا اچھا ہے؟* (“What’s great about Birmingham?”)",
]

SENTENCE_TEMPLATES = [
    "{place} has always been one of Birmingham’s most {adj} neighbourhoods, and the conversations there reflected that.",
    "More than {num} people came along to share their ideas about {theme}.",
    "“We don’t need another strategy document,” said {person} of {org}. “We need people to *talk to each other*.”",
    "The steering group wants an *asset-based* approach — starting from what the city has, not from what it lacks.",
    "For {group} in {place}, {theme} is not an abstract idea but a daily reality.",
    "**{num} partners** have now offered to {commit}.",
    "The next step is to turn these ideas into a shared vision that every partner can sign up to.",
    "It is *a coalition, not a committee*: nobody is in charge, and everyone has something to offer.",
    "{Org} offered to {commit}, and {org2} agreed to {commit2}.",
    "Participants were asked two simple questions: what’s great about Birmingham, and what will make it successful in the future?",
    "Several people mentioned {asset} as something visitors never expect.",
    "In {year}, {place} saw {money} invested in {theme}.",
    "Volunteers from {place} ran a stall near {asset}, collecting postcards from passers-by.",
    "One respondent wrote simply: “{quote}”",
    "{person}, who runs a {business} in {place}, put it this way: “{quote}”",
    "The Council is working *with*, not *for*, the city’s partners.",
    "There were {num} responses from {place} alone, more than from any other ward.",
    "That matters, because {theme} affects everything from health to housing.",
    "The findings will feed into the draft city vision, due {when}.",
    "**What’s great?** For many people in {place}, it’s {asset}.",
    "**What’s next?** More conversations, in more places, with more people.",
    "Birmingham is one of the youngest cities in Europe, and {group} want a bigger say in its future.",
    "A café owner in {place} offered her back room for free, which says a lot about the city.",
    "The session at {org2} ran over time — nobody wanted to leave.",
    "We heard from {group}, {group2} and {group3}, often in the same room.",
    "Some of the most useful ideas came from people who had never been to a consultation before.",
    "Around {pct} per cent of those who answered said {theme} should be a priority.",
    "The challenges are real, but so is the city’s capacity to meet them.",
    "{person} described {place} as “a village that happens to be in a city of a million people”.",
    "It’s easy to focus on what’s missing; it’s more useful to ask what we can build on.",
    "Partners from the public, private and voluntary sectors sat at the same tables.",
    "The group will report back to partners {when}.",
    "Money was not the main theme — *time*, *trust* and *attention* came up far more often.",
    "Many answers mentioned {asset}, {asset2} and the people who keep them going.",
    "Local employers said they want school leavers with confidence as well as qualifications.",
    "{Org} shared data on {theme} that surprised even the people who work on it every day.",
    "The conversation moved from {theme} to {theme2} surprisingly quickly.",
    "Everyone agreed that {theme} cannot be tackled by one organisation on its own.",
    "“{quote}” That line, from a student at {org}, was repeated all afternoon.",
    "There was a waiting list for the {place} event within two days of it being announced.",
    "The numbers are encouraging: {num} conversations, {num2} postcards and {num3} new partners.",
    "People don’t always agree — and that’s fine; the point is to keep talking.",
    "We’re grateful to {org} for the room, the tea and the patience.",
    "**Birmingham has a great deal to be proud of**, as well as significant challenges.",
    "The campaign is deliberately positive, but it is not naïve about the city’s problems.",
    "Next {month}, the steering group will meet partners in {place} to agree priorities.",
    "A retired engineer from {place} brought photographs of the factories where he started work in {oldyear}.",
    "A café near {place2} became an unofficial meeting point for the campaign.",
    "{group_cap} told us that {theme} is what would make them stay in Birmingham.",
    "Young people from {place} produced a short film about what makes their area great.",
    "Schools in {place} and {place2} set the two questions as homework — the answers were *brilliant*.",
    "Nobody claimed to have all the answers, and that felt refreshing.",
    "It was the first time many of these organisations had been in the same room.",
    "Small, practical offers matter as much as big pledges.",
    "The group’s role is to *wire a network*, not to build another hierarchy.",
    "A shared vision only works if people can see themselves in it.",
    "Some partners offered rooms, others offered time, and a few offered **both**.",
    "Attendance was lower than hoped, but the quality of the discussion made up for it.",
    "Everyone in the room had a different idea of what success looks like in {year2}.",
    "{person} from {org} asked the question everyone was thinking: who is going to do the work?",
    "The answer, it turned out, was all of us.",
    "There is more to do on {theme}, and the partners know it.",
    "{place}’s traders have seen footfall rise by {pct} per cent since the new market opened.",
    "The library in {place} now hosts a monthly partners’ surgery.",
]
TITLE_TEMPLATES = [
    "What makes {place} great",
    "{person}: why {place} matters",
    "{Org} on {theme}",
    "How {place} is tackling {theme}",
    "Ten things we love about {place}",
    "A conversation about {theme} in {place}",
    "Why {theme} is Birmingham’s next big opportunity",
    "From {place} to {place2}: a story of {theme}",
    "The future of {theme} in Birmingham",
    "What we heard in {place}",
    "{group_cap} and the city vision",
    "Building on {asset}",
    "“{quote_short}”",
    "{person} on what makes Birmingham great",
    "Inside {asset}: {theme} in practice",
    "Notes from the {place} conversation",
    "Why {Org} joined Birmingham Partners",
    "{year}: a year of {theme}",
    "Five questions for {person}",
    "Small steps on {theme} in {place}",
]
QUOTES_SHORT = [
    "We make things here", "Start with what we have", "A coalition, not a committee",
    "Give young people a reason to stay", "Every neighbourhood has a story",
    "Ask a volunteer", "Our hidden treasure",
]
HEADINGS = [
    "What’s great about {place}", "Why it matters", "What people told us", "The numbers",
    "What happens next", "In their own words", "A coalition, not a committee",
    "Looking ahead to {year2}", "Lessons from {place}", "Getting involved",
    "Building on what we have", "The challenges", "Who was there", "Young people’s voices",
    "Making it last", "From conversation to action", "Our commitments", "Background",
    "How the day worked", "What we heard about {theme}", "Beyond the city centre",
    "The view from {place}", "Three things to take away", "What still needs to change",
]
SUBHEADINGS = [
    "A closer look at {place}", "The role of {org}", "Facts and figures",
    "Quotes from the day", "Further reading", "Next steps for {group}", "Where the money goes",
    "What partners offered", "A note on method",
]
LIST_ITEMS = [
    "more collective leadership across the public, private and community sectors",
    "a focus on the positives, not just the challenges",
    "better links between schools and employers",
    "safer, cleaner routes for walking and cycling",
    "support for {group} in {place}",
    "more **apprenticeships** for local people",
    "celebrating {asset}",
    "cheaper, more reliable public transport",
    "affordable space for artists and makers",
    "a louder voice for {group}",
    "shared data on {theme}, published openly",
    "a partners’ forum in every district",
    "one front door for {group} looking for help",
    "*mutual trust* between the Council and its partners",
    "long-term funding for community organisations",
    "a campaign that tells the world about {asset}",
    "investment in {place} that local people can see",
    "clear, honest reporting on progress",
]
STEPS = [
    "Book a venue and choose a date.",
    "Invite at least ten people who don’t usually take part.",
    "Ask the two campaign questions and listen.",
    "Write down every answer — even the surprising ones.",
    "Send the notes to the steering group.",
    "Share what you learned with **#BrumGreat**.",
    "Follow up with everyone who came within a week.",
    "Tell us what you would do differently next time.",
]
TASKS = [
    "Book the room at {asset}", "Send invitations to partners", "Print the postcards",
    "Share the survey link", "Write up the notes", "Thank everyone who came",
    "Arrange an interpreter", "Check step-free access", "Order the tea and coffee",
    "Upload the photographs",
]
VENUES = [
    "the MAC, Cannon Hill Park", "the Library of Birmingham", "the Council House, Victoria Square",
    "the Curzon Building, Birmingham City University", "the Aston Webb Building, University of Birmingham",
    "Millennium Point", "the Exchange, Centenary Square", "Impact Hub Birmingham, Digbeth",
    "the Custard Factory", "Birmingham Rep", "Thinktank, Millennium Point", "the Ikon Gallery",
    "Moseley Road Baths", "the Bullring", "Handsworth Park", "Small Heath Park",
]
IMAGE_ALTS = [
    "Volunteers at a stall in {place}", "Partners around a table at the MAC",
    "Postcards pinned to a board with answers to the two campaign questions",
    "The canal at Gas Street Basin at dusk", "A street market in {place}",
    "Young people filming an interview in {place}", "The steering group meeting at the Council House",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
CODE_BLOCKS = [
    "```text\nBirmingham Partners\nc/o Curzon Building\n4 Cardigan Street\nBirmingham B4 7BD\n```",
    "```toml\n[event]\ntitle = \"What makes Birmingham great?\"\ndate = 2015-07-08\nvenue = \"The MAC\"\ncapacity = 70\n```",
    "```csv\nward,conversations,postcards\nSparkbrook,12,340\nErdington,9,211\nSelly Oak,15,402\n```",
]

# The first partners are real Birmingham organisations: (slug, name, sector, website)
CURATED_PARTNERS = [
    ("birmingham-city-university", "Birmingham City University", "education", "https://www.bcu.ac.uk/"),
    ("university-of-birmingham", "University of Birmingham", "education", "https://www.birmingham.ac.uk/"),
    ("the-mac", "Midlands Arts Centre (MAC)", "voluntary", "https://macbirmingham.co.uk/"),
    ("greater-birmingham-chambers-of-commerce", "Greater Birmingham Chambers of Commerce", "private", "https://www.greaterbirminghamchambers.com/"),
    ("birmingham-city-council", "Birmingham City Council", "public", "https://www.birmingham.gov.uk/"),
    ("aston-university", "Aston University", "education", "https://www.aston.ac.uk/"),
    ("bvsc", "BVSC – The Centre for Voluntary Action", "voluntary", "https://www.bvsc.org/"),
    ("birmingham-museums-trust", "Birmingham Museums Trust", "voluntary", "https://www.birminghammuseums.org.uk/"),
    ("west-midlands-combined-authority", "West Midlands Combined Authority", "public", "https://www.wmca.org.uk/"),
    ("newman-university", "Newman University", "education", "https://www.newman.ac.uk/"),
    ("university-college-birmingham", "University College Birmingham", "education", "https://www.ucb.ac.uk/"),
    ("birmingham-hippodrome", "Birmingham Hippodrome", "voluntary", "https://www.birminghamhippodrome.com/"),
    ("cbso", "City of Birmingham Symphony Orchestra", "voluntary", "https://cbso.co.uk/"),
    ("ikon-gallery", "Ikon Gallery", "voluntary", "https://www.ikon-gallery.org/"),
    ("birmingham-rep", "Birmingham Repertory Theatre", "voluntary", "https://www.birmingham-rep.co.uk/"),
    ("jewellery-quarter-bid", "Jewellery Quarter Business Improvement District", "private", "https://jewelleryquarter.net/"),
    ("colmore-business-district", "Colmore Business District", "private", "https://www.colmorebid.co.uk/"),
    ("birmingham-metropolitan-college", "Birmingham Metropolitan College", "education", "https://www.bmet.ac.uk/"),
    ("south-and-city-college-birmingham", "South & City College Birmingham", "education", "https://www.sccb.ac.uk/"),
    ("canal-and-river-trust", "Canal & River Trust", "voluntary", "https://canalrivertrust.org.uk/"),
]
# The made-up partners: a place or street with one of these kinds, whose sector it takes,
# or a family firm
PARTNER_KINDS = [
    ("Community Forum", "voluntary"), ("Residents’ Association", "voluntary"),
    ("Youth Network", "voluntary"), ("Food Bank", "voluntary"), ("Arts Collective", "voluntary"),
    ("Community Trust", "voluntary"), ("Neighbourhood Forum", "voluntary"),
    ("Tenants’ Association", "voluntary"), ("Community Centre", "voluntary"),
    ("Faith Forum", "voluntary"), ("Credit Union", "voluntary"), ("Men’s Shed", "voluntary"),
    ("Women’s Network", "voluntary"), ("Carers’ Network", "voluntary"),
    ("Sports Club", "voluntary"), ("Allotment Society", "voluntary"),
    ("Heritage Society", "voluntary"), ("Cycling Club", "voluntary"), ("Community Choir", "voluntary"),
    ("Refugee Support Group", "voluntary"), ("Disability Forum", "voluntary"),
    ("Traders’ Association", "private"), ("Business Improvement District", "private"),
    ("Design Studio Ltd", "private"), ("Engineering Ltd", "private"), ("Brewing Company", "private"),
    ("Digital Agency", "private"), ("Law LLP", "private"), ("Architects", "private"),
    ("Coffee Roasters", "private"), ("Printworks", "private"), ("Logistics Ltd", "private"),
    ("Bakery", "private"), ("Software Ltd", "private"), ("Jewellers", "private"),
    ("Library", "public"), ("Health Centre", "public"), ("Neighbourhood Police Team", "public"),
    ("Ward Committee", "public"), ("Leisure Centre", "public"), ("District Committee", "public"),
    ("Primary Care Network", "public"), ("Children’s Centre", "public"), ("Jobcentre", "public"),
    ("College", "education"), ("Sixth Form College", "education"), ("Academy Trust", "education"),
    ("Adult Education Centre", "education"), ("Learning Partnership", "education"),
]
FAMILY_BUSINESSES = [
    ("& Sons", "private"), ("Family Bakery", "private"), ("Solicitors", "private"),
    ("Foundation", "voluntary"), ("Accountants", "private"), ("Opticians", "private"),
    ("Pharmacy", "private"), ("Trust", "voluntary"),
]

TIMELINE_CURATED = [
    # The campaign's own history, 2015-16: (title, date, end, status, location, partner slugs)
    ("Informal gathering of partners after the Kerslake report", dt.date(2015, 2, 12), None, "done",
     "the Council House, Victoria Square", ["birmingham-city-council"]),
    ("Workshop on future roles and delivery models", dt.date(2015, 4, 21), None, "done",
     "the Council House, Victoria Square", ["birmingham-city-council", "university-of-birmingham"]),
    ("Steering Group meets for the first time", dt.date(2015, 5, 27), None, "done",
     "the Council House, Victoria Square", ["birmingham-city-council", "birmingham-city-university"]),
    ("“What makes Birmingham great?” event at the MAC", dt.datetime(2015, 7, 8, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), None, "done",
     "the MAC, Cannon Hill Park", ["the-mac", "birmingham-city-university", "university-of-birmingham"]),
    ("What makes Birmingham great? campaign", dt.date(2015, 8, 1), dt.date(2015, 9, 30), "done",
     "Across the city", ["birmingham-city-university"]),
    ("Meeting with the Birmingham Independent Improvement Panel", dt.date(2015, 9, 11), None, "done",
     "the Council House, Victoria Square", ["birmingham-city-council"]),
    ("Second Birmingham Partners event", dt.date(2015, 10, 14), None, "done",
     "the Aston Webb Building, University of Birmingham", ["university-of-birmingham"]),
    ("Draft city vision", dt.date(2015, 10, 1), dt.date(2015, 10, 31), "done", None, []),
    ("City vision agreed", dt.date(2015, 12, 9), None, "done", "the Council House, Victoria Square",
     ["birmingham-city-council"]),
    ("Governance arrangements developed", dt.date(2015, 12, 1), dt.date(2016, 3, 31), "done", None,
     ["birmingham-city-council", "greater-birmingham-chambers-of-commerce"]),
    ("Formal launch of Birmingham Partners", dt.date(2016, 3, 1), dt.date(2016, 7, 31), "done",
     "Millennium Point", ["birmingham-city-university", "aston-university"]),
]
TIMELINE_TITLES = [
    "{Org} hosts a conversation on {theme}",
    "Partners’ forum in {place}",
    "{theme_cap} workshop",
    "Listening event in {place}",
    "Steering group meeting",
    "Annual partners’ assembly",
    "Youth summit on {theme}",
    "City vision refresh",
    "{place} community day",
    "Progress report published",
    "Launch of the {place} partners’ network",
    "Programme on {theme}",
]
PAGES_CURATED = [
    ("about", "About Birmingham Partners", "Who we are and why the partnership exists.", 1, True),
    ("get-involved", "Get involved", "How your organisation can join the conversation.", 2, True),
    ("contact", "Contact us", "How to reach the steering group.", 3, True),
    ("privacy", "Privacy notice", "How we handle personal information.", 90, False),
    ("accessibility", "Accessibility statement", "How accessible this website is, and how to tell us about problems.", 91, False),
    ("steering-group", "The steering group", "Who sits on the steering group and what it does.", 4, True),
    ("faq", "Frequently asked questions", "Answers to the questions partners ask most.", 5, True),
    ("press", "Press office", "Information for journalists.", 6, False),
    ("cookies", "Cookies", "Which cookies this website uses.", 92, False),
    ("terms", "Terms of use", "The terms that apply to this website.", 93, False),
]


def placeholder_jpeg():
    """A real 320x180 baseline JPEG, plain mid-grey: greyscale, one quantisation
    table of ones, and Huffman tables with a single code each, so that every
    8x8 block is two bits ("no change", "end of block")."""
    def segment(marker, payload):
        return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload
    w, h = 320, 180
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\x00" + bytes([1] * 64)
    sof = b"\x08" + h.to_bytes(2, "big") + w.to_bytes(2, "big") + b"\x01\x01\x11\x00"
    dht_dc = b"\x00" + bytes([1] + [0] * 15) + b"\x00"   # one code, "0": a DC difference of 0
    dht_ac = b"\x10" + bytes([1] + [0] * 15) + b"\x00"   # one code, "0": end of block
    sos = b"\x01\x01\x00\x00\x3f\x00"
    blocks = ((w + 7) // 8) * ((h + 7) // 8)
    bits = blocks * 2
    data = bytes(bits // 8) + (b"\x3f" if bits % 8 else b"")
    return (b"\xff\xd8" + segment(0xE0, app0) + segment(0xDB, dqt) + segment(0xC0, sof)
            + segment(0xC4, dht_dc) + segment(0xC4, dht_ac) + segment(0xDA, sos) + data
            + b"\xff\xd9")


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
                           "Æ": "AE", "đ": "d", "Đ": "D", "ı": "i", "&": " and ",
                           "’": "", "'": "", "‘": ""})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text, maxlen=60):
    """Lower-case ASCII letters and digits joined by hyphens, cut at a hyphen
    to at most maxlen characters."""
    s = text.translate(_TRANSLIT)
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = _NON_SLUG.sub("-", s.lower()).strip("-")
    if len(s) > maxlen:
        s = s[:maxlen].rsplit("-", 1)[0]
    return s or "item"


def toml_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_string(x) for x in v) + "]"
    return toml_string(v)


def toml_lines(items):
    return "".join("%s = %s\n" % (k, toml_value(v)) for k, v in items)


def toml_table(name, pairs):
    bare = re.compile(r"^[A-Za-z0-9_-]+$")
    return "\n[%s]\n" % name + "".join(
        "%s = %s\n" % (k if bare.match(k) else toml_string(k), toml_string(v)) for k, v in pairs)


def uk_offset(d):
    """UTC+1 in British Summer Time (from the last Sunday of March to the last
    Sunday of October), else UTC."""
    def last_sunday(year, month):
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() + 1) % 7)
    summer = last_sunday(d.year, 3) <= d < last_sunday(d.year, 10)
    return dt.timezone(dt.timedelta(hours=1 if summer else 0))


def as_date(d):
    return d.date() if isinstance(d, dt.datetime) else d


def instant(d):
    """A TOML date or date-time as an aware date-time: a day is its midnight, UTC."""
    if isinstance(d, dt.datetime):
        return d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)


WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def count_words(md):
    """The words of Markdown text, not counting link targets."""
    return len(WORD_RE.findall(LINK_TARGET_RE.sub("]", md)))


def cap(s):
    return s[:1].upper() + s[1:]


class Rng(random.Random):
    """random.Random seeded from a string (the same stream on every run and
    Python version), with its own choice and randint: cheaper, and fixed, since
    the corpus's bytes depend on them. sample, shuffle, triangular and
    expovariate are the standard library's."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


# What fills each {placeholder} of a template: place, org, person, ... A
# placeholder ending in 2 or 3 ({place2}) is another draw of the same kind.
FILLERS = {
    "place": lambda r: r.choice(PLACES),
    "org": lambda r: r.choice(ORGS),
    "Org": lambda r: cap(r.choice(ORGS)),
    "person": lambda r: r.choice(FIRST_NAMES) + " " + r.choice(SURNAMES),
    "theme": lambda r: r.choice(THEMES),
    "theme_cap": lambda r: cap(r.choice(THEMES)),
    "group": lambda r: r.choice(GROUPS),
    "group_cap": lambda r: cap(r.choice(GROUPS)),
    "adj": lambda r: r.choice(ADJECTIVES),
    "asset": lambda r: r.choice(ASSETS),
    # three draws, then a choice between them
    "num": lambda r: str(r.choice([r.randint(12, 95), r.randint(100, 480), r.randint(20, 70)])),
    "pct": lambda r: str(r.randint(8, 85)),
    "money": lambda r: r.choice(["£%d million" % r.randint(2, 60), "£%d,000" % r.randint(15, 950),
                                 "€%d million" % r.randint(2, 30)]),
    "year": lambda r: str(r.randint(2015, 2026)),
    "oldyear": lambda r: str(r.randint(1958, 1989)),
    "commit": lambda r: r.choice(["lead conversations", "host events", "provide information",
                                  "join the communications team"]),
    "when": lambda r: r.choice(WHEN),
    "month": lambda r: r.choice(MONTHS),
    "quote": lambda r: r.choice(QUOTES),
    "quote_short": lambda r: r.choice(QUOTES_SHORT),
    "business": lambda r: r.choice(BUSINESSES),
}
_PLACEHOLDERS = {}


def fill(r, template):
    """The template with each of its placeholders drawn once, in order of first
    appearance."""
    if "{" not in template:
        return template
    keys = _PLACEHOLDERS.get(template)
    if keys is None:
        keys = _PLACEHOLDERS[template] = list(dict.fromkeys(re.findall(r"\{(\w+)\}", template)))
    return template.format(**{key: FILLERS[key.rstrip("23")](r) for key in keys})


def partner_names(r):
    """Made-up partners, (name, sector), without end: a place or street with a
    kind of organisation, or, one time in four, a family firm. When either list
    runs out both start again, with " (2)", " (3)", ... after the names."""
    by_place = [(place, kind) for place in PLACES + STREETS for kind in PARTNER_KINDS]
    r.shuffle(by_place)
    by_family = [(a, b, kind) for a in SURNAMES for b in SURNAMES if a != b
                 for kind in FAMILY_BUSINESSES[:4]]
    r.shuffle(by_family)
    places, families = iter(by_place), iter(by_family)
    round_no = 1
    while True:
        family = r.random() < 0.25
        try:
            if family:
                a, b, (kind, sector) = next(families)
                name = "%s %s" % (a, kind) if kind == "& Sons" else "%s & %s %s" % (a, b, kind)
            else:
                place, (kind, sector) = next(places)
                if place.startswith("the "):
                    place = place[4:].capitalize()
                name = "%s %s" % (place, kind)
        except StopIteration:
            round_no += 1
            places, families = iter(by_place), iter(by_family)
            continue
        if round_no > 1:
            name = "%s (%d)" % (name, round_no)
        yield name, sector


class Blocks:
    """A story's text as it grows: Markdown blocks, and their words, up to a limit."""

    def __init__(self, limit):
        self.blocks = []
        self.words = 0
        self.limit = limit

    def add(self, text, words=None):
        """Adds a block unless it would take the words past the limit; whether it did."""
        if words is None:
            words = count_words(text)
        if self.words + words > self.limit:
            return False
        self.blocks.append(text)
        self.words += words
        return True

    def text(self):
        return "\n\n".join(self.blocks) + "\n"


# What a story head knows: enough for other stories to link to it.
# `stem` is the file's name (or bundle folder's); `own_slug` means the front
# matter sets `slug`, which then differs from the stem.
StoryHead = namedtuple("StoryHead", "title slug stem bundle own_slug draft date")

# A story's words: a target drawn between 300 and 1380, most often near 600; the
# body stops short of 1380 words before its closing paragraph (two short
# sentences) and footnote, so no story passes about 1,450.
STORY_WORDS = (300, 1380, 600)

# ---------------------------------------------------------------------------
# The content
# ---------------------------------------------------------------------------


class Corpus:
    """The content of one corpus: every item is made on demand from its own
    random stream, so any process can make any item. Holds only the partner
    list and pools of sentences, headings and names made from the seed."""

    LINK_STORY = ["We wrote about this in [%s](%s).", "There is more on this in our story [%s](%s).",
                  "See also: [%s](%s).", "It builds on [%s](%s), published earlier."]
    LINK_PARTNER = ["[%s](/partners/%s/) has offered to lead conversations.",
                    "[%s](/partners/%s/) has offered to host events.",
                    "Thanks to [%s](/partners/%s/) for hosting.",
                    "Find out more about [%s](/partners/%s/).",
                    "The session was co-hosted by [%s](/partners/%s/) and local volunteers."]
    LINK_EXTERNAL = ["You can read more on the website of [%s](%s).",
                     "Figures from [%s](%s) back this up.",
                     "The background is set out by [%s](%s)."]

    def __init__(self, stories, partners, timeline, pages, seed):
        self.stories = stories
        self.partner_count = partners
        self.timeline_count = timeline
        self.pages = pages
        self.seed = seed
        self._heads = {}       # story index -> StoryHead, for links
        self._title_words = {}
        self._template_words = {t: count_words(t % ("", "")) for t in
                                self.LINK_STORY + self.LINK_PARTNER + self.LINK_EXTERNAL}
        self._make_pools()
        self.partners = self._make_partners()   # [(slug, name, sector)]
        self.partner_words = {slug: count_words(name) for slug, name, _ in self.partners}

    def _stream(self, kind, index=None):
        name = "%s:%s" % (self.seed, kind) if index is None else "%s:%s:%d" % (self.seed, kind, index)
        return Rng(name)

    # -- what every item draws from ------------------------------------------

    def _make_pools(self):
        r = self._stream("pools")
        self.sentences = []        # (sentence, words)
        self.sentence_template = []
        for _ in range(6000):
            k = r.randrange(len(SENTENCE_TEMPLATES))
            s = fill(r, SENTENCE_TEMPLATES[k])
            self.sentences.append((s, count_words(s)))
            self.sentence_template.append(k)
        self.headings = sorted({fill(r, r.choice(HEADINGS)) for _ in range(600)})
        self.subheadings = sorted({fill(r, r.choice(SUBHEADINGS)) for _ in range(300)})
        self.heading_words = {h: count_words(h) for h in self.headings + self.subheadings}
        self.runs = [[]] + [self._make_runs(r, n) for n in range(1, 7)]
        self.list_items = [fill(r, r.choice(LIST_ITEMS)) for _ in range(800)]
        self.tasks = [fill(r, r.choice(TASKS)) for _ in range(200)]
        self.quoted = [(fill(r, "{person}"), r.choice(ORGS)) for _ in range(400)]
        self.alts = [fill(r, r.choice(IMAGE_ALTS)) for _ in range(100)]
        self.polish = [fill(r, s) for s in POLISH]
        self.urdu = [fill(r, s) for s in URDU]
        self.authors = sorted({r.choice(FIRST_NAMES) + " " + r.choice(SURNAMES) for _ in range(400)})
        self.authors += ["Birmingham Partners steering group", "The Future Council team"]

    def _make_runs(self, r, n):
        """1,500 runs of n pool sentences, no two from the same template, with
        their words: the paragraphs are drawn from these."""
        runs = []
        for _ in range(1500):
            picked, templates = [], set()
            while len(picked) < n:
                k = int(r.random() * len(self.sentences))
                if self.sentence_template[k] not in templates:
                    templates.add(self.sentence_template[k])
                    picked.append(self.sentences[k])
            runs.append((" ".join(s for s, _ in picked), sum(w for _, w in picked)))
        return runs

    def _make_partners(self):
        """The real organisations first, then made-up ones, each slug once."""
        partners = [(slug, name, sector) for slug, name, sector, _ in
                    CURATED_PARTNERS[:self.partner_count]]
        if len(partners) < self.partner_count:
            seen = {slug for slug, _, _ in partners}
            names = partner_names(self._stream("partner-names"))
            while len(partners) < self.partner_count:
                name, sector = next(names)
                slug = slugify(name)
                if slug not in seen:
                    seen.add(slug)
                    partners.append((slug, name, sector))
        return partners

    def _sentence(self, r):
        return self.sentences[int(r.random() * len(self.sentences))][0]

    # -- stories -------------------------------------------------------------

    def story_head(self, i):
        """What other stories need to know about story i (1-based), cheaply:
        it has a stream of its own, apart from the story's body."""
        r = self._stream("story-head", i)
        # Dates rise with the index, give or take 20 days, so that links to
        # earlier stories mostly point back in time.
        span = (STORY_END - STORY_START).days
        day = int((i - 0.5) / self.stories * span) + r.randint(-20, 20)
        date = STORY_START + dt.timedelta(days=min(max(day, 0), span))
        if r.random() < 0.3:
            date = dt.datetime(date.year, date.month, date.day, r.randint(7, 21),
                               r.choice((0, 15, 30, 45)), tzinfo=uk_offset(date))
        title = fill(r, r.choice(TITLE_TEMPLATES).replace("{year}", str(date.year)))
        base = slugify(title, 50)
        slug = "%s-%d" % (base, i)
        u = r.random()
        own_slug = u < 0.01
        bundle = 0.01 <= u < 0.03
        stem = "%06d-%s" % (i, base) if own_slug else slug
        draft = r.random() < 0.02
        return StoryHead(title, slug, stem, bundle, own_slug, draft, date)

    def story(self, i):
        """(path, front matter, body) of story i."""
        head = self.story_head(i)
        r = self._stream("story", i)
        fm = {"title": head.title}
        if head.own_slug:
            fm["slug"] = head.slug
        fm["date"] = head.date
        if r.random() < 0.2:
            fm["updated"] = as_date(head.date) + dt.timedelta(days=r.randint(1, 400))
        if r.random() < 0.9:
            fm["author"] = r.choice(self.authors)
        if r.random() < 0.7:
            fm["partner"] = r.choice(self.partners)[0]
        if r.random() < 0.85:
            fm["question"] = "great" if r.random() < 0.6 else "future"
        fm["topics"] = r.sample(TOPIC_KEYS, r.choice((1, 1, 2, 2, 2, 3)))
        if r.random() < 0.5:
            fm["summary"] = self._sentence(r).replace("*", "")
        if r.random() < 0.1:
            fm["image"] = PLACEHOLDER
            fm["image_alt"] = r.choice(self.alts)
        if head.draft:
            fm["draft"] = True
        if r.random() < 0.02:
            d = as_date(head.date)
            fm["aliases"] = ["/%04d/%02d/%02d/%s/" % (d.year, d.month, d.day, head.slug)]
            if r.random() < 0.3:
                fm["aliases"].append("/blog/%s/" % head.slug)
        body = self._story_body(r, i)
        if head.bundle:
            return "content/stories/%s/index.md" % head.stem, fm, body
        return "content/stories/%s.md" % head.stem, fm, body

    def _story_body(self, r, i):
        target = int(r.triangular(*STORY_WORDS))
        body = Blocks(STORY_WORDS[1])
        other_language = self._other_language(r)
        footnote = r.random() < 0.1
        intro, words = self._paragraph(r, i, 2, 4, 0.3)
        if footnote:
            intro += "[^1]"
            words += 1
        body.add(intro, words)
        if r.random() < 0.5:
            body.add(*self._paragraph(r, i, 2, 4, 0.4))
        if r.random() < 0.35:
            body.blocks.append("<!-- more -->")
        specials = self._specials(r)
        self._sections(r, i, body, target, specials, other_language)
        body.blocks.append(self._closing(r))
        if footnote:
            body.blocks.append("[^1]: %s." % r.choice(SOURCES))
        return body.text()

    def _other_language(self, r):
        """A sentence in Polish (6% of stories) or Urdu (6%) for the first section, or None."""
        roll = r.random()
        if roll < 0.06:
            return r.choice(self.polish)
        if roll < 0.12:
            return r.choice(self.urdu)
        return None

    def _specials(self, r):
        """The rarer blocks a story has, each at most once, in a random order."""
        specials = []
        if r.random() < 0.08:
            specials.append(self._table)
        if r.random() < 0.06:
            specials.append(self._task_list)
        if r.random() < 0.02:
            specials.append(self._code)
        if r.random() < 0.04:
            specials.append(self._picture)
        r.shuffle(specials)
        return specials

    def _sections(self, r, i, body, target, specials, first_extra):
        """`##` sections until the body has its target words or would pass its
        limit: a heading with a paragraph, up to two more paragraphs, often a
        list, quote or `###` subsection, and one of the specials while they last."""
        headings = r.sample(self.headings, 8)
        extra = first_extra
        section = 0
        while body.words < target:
            heading = headings[section % len(headings)]
            para, words = self._paragraph(r, i, 2, 6, 0.45, extra)
            if not body.add("## " + heading + "\n\n" + para, words + self.heading_words[heading]):
                return
            extra = None
            section += 1
            for _ in range(r.randint(0, 2)):
                if not body.add(*self._paragraph(r, i, 2, 6, 0.45)):
                    return
            u = r.random()
            if u < 0.25:
                body.add(self._list(r, i))
            elif u < 0.38:
                body.add(self._numbered(r))
            elif u < 0.6:
                body.add(self._quote(r))
            elif u < 0.8:
                heading = r.choice(self.subheadings)
                para, words = self._paragraph(r, i, 2, 4, 0.4)
                body.add("### " + heading + "\n\n" + para, words + self.heading_words[heading])
            if specials:
                body.add(specials.pop()(r))

    def _closing(self, r):
        """Two short pool sentences (of six drawn), always there."""
        drawn = [self.sentences[int(r.random() * len(self.sentences))] for _ in range(6)]
        short = [s for s, words in drawn if words <= 30][:2]
        return " ".join(short or ["Thanks to everyone who took part."])

    # -- the blocks of a text ------------------------------------------------

    def _paragraph(self, r, i, least, most, link_chance, extra=None, first=None):
        """(paragraph, its words): a run of `least` to `most` pool sentences;
        `extra` before or after it and `first` before it, when given; and, with
        link_chance, a sentence with a link (story i's links are to other stories)."""
        runs = self.runs[least + int(r.random() * (most - least + 1))]
        text, words = runs[int(r.random() * len(runs))]
        if extra:
            words += count_words(extra)
            text = extra + " " + text if r.random() < 0.5 else text + " " + extra
        if first:
            words += count_words(first)
            text = first + " " + text
        if r.random() < link_chance:
            link, link_words = self._link_sentence(r, i)
            words += link_words
            text = text + " " + link
        return text, words

    def _paragraph_text(self, r, least, most):
        """A paragraph of a partner, timeline entry or page: no links, no extras."""
        return self._paragraph(r, 0, least, most, 0.0)[0]

    def _link_sentence(self, r, i):
        """(a sentence with one link, its words): to a story half the time, a
        partner 30%, else an outside site. The link's text is counted, its target not."""
        u = r.random()
        if u < 0.5 and self.stories > 1:
            target = self._story_to_link(r, i)
            if target:
                title, url, title_words = target
                t = r.choice(self.LINK_STORY)
                return t % (title, url), self._template_words[t] + title_words
        if u < 0.8:
            slug, name, _ = r.choice(self.partners)
            t = r.choice(self.LINK_PARTNER)
            return t % (name, slug), self._template_words[t] + self.partner_words[slug]
        text, url = r.choice(EXTERNAL_LINKS)
        t = r.choice(self.LINK_EXTERNAL)
        return t % (text, url), self._template_words[t] + count_words(text)

    def _story_to_link(self, r, i):
        """(title, address, title's words) of a published story other than i:
        mostly a recent earlier one, sometimes any earlier one, now and then any
        at all. None after four tries that find only drafts (or i itself)."""
        for _ in range(4):
            u = r.random()
            if i > 1 and u < 0.6:
                j = max(1, i - 1 - int(r.expovariate(1 / 15.0)))
            elif i > 1 and u < 0.9:
                j = r.randint(1, i - 1)
            else:
                j = r.randint(1, self.stories)
            if j == i:
                continue
            head = self._heads.get(j)
            if head is None:
                if len(self._heads) > 20000:
                    self._heads.clear()
                head = self._heads[j] = self.story_head(j)
            if not head.draft:
                return head.title, "/stories/%s/" % head.slug, self._words_of_title(head.title)
        return None

    def _words_of_title(self, title):
        words = self._title_words.get(title)
        if words is None:
            if len(self._title_words) > 50000:
                self._title_words.clear()
            words = self._title_words[title] = count_words(title)
        return words

    def _list(self, r, i):
        n = r.randint(3, 6)
        items = [self.list_items[int(r.random() * len(self.list_items))] for _ in range(n)]
        if r.random() < 0.3:
            slug, name, _ = r.choice(self.partners)
            items[r.randrange(n)] = "the work of [%s](/partners/%s/)" % (name, slug)
        if r.random() < 0.08:
            nested = "\n".join("  - " + self.list_items[int(r.random() * len(self.list_items))]
                               for _ in range(r.randint(2, 3)))
            k = r.randrange(n)
            items[k] = items[k] + "\n" + nested
        intro = r.choice(["People asked for:", "The ideas that came up most often:",
                          "Partners want to see:", "Top of the list:"])
        return intro + "\n\n" + "\n".join("- " + cap(x) for x in items)

    def _numbered(self, r):
        steps = r.sample(STEPS, r.randint(3, 5))
        return (r.choice(["To run your own conversation:", "How it works:", "The steps are simple:"])
                + "\n\n" + "\n".join("%d. %s" % (k + 1, s) for k, s in enumerate(steps)))

    def _quote(self, r):
        person, org = r.choice(self.quoted)
        q = r.choice(QUOTES)
        if r.random() < 0.5:
            q = q + " " + self._sentence(r)
        return "> “%s”\n>\n> — %s, %s" % (q, person, org)

    def _table(self, r):
        kind = r.randrange(3)
        if kind == 0:
            rows = ["| Ward | Conversations | People involved |", "|---|---:|---:|"]
            for place in r.sample(PLACES, r.randint(3, 6)):
                rows.append("| %s | %d | %d |" % (cap(place), r.randint(2, 30), r.randint(20, 600)))
        elif kind == 1:
            rows = ["| Date | Event | Venue |", "|---|---|---|"]
            for _ in range(r.randint(3, 5)):
                d = dt.date(r.randint(2015, 2026), r.randint(1, 12), r.randint(1, 28))
                rows.append("| %d %s %d | %s | %s |" % (d.day, MONTHS[d.month - 1], d.year,
                                                       cap(r.choice(THEMES)), cap(r.choice(VENUES))))
        else:
            rows = ["| Theme | Responses | Share |", "|---|---:|---:|"]
            for _, name in r.sample(TOPICS, r.randint(4, 7)):
                rows.append("| %s | %d | %d%% |" % (name, r.randint(10, 900), r.randint(2, 40)))
        return "\n".join(rows)

    def _task_list(self, r):
        items = r.sample(self.tasks, r.randint(3, 6))
        return ("Our checklist for the next event:\n\n"
                + "\n".join("- [%s] %s" % ("x" if r.random() < 0.5 else " ", t) for t in items))

    def _code(self, r):
        return r.choice(CODE_BLOCKS)

    def _picture(self, r):
        return "![%s](%s)" % (r.choice(self.alts), PLACEHOLDER)

    # -- partners ------------------------------------------------------------

    def partner(self, k):
        """(path, front matter, body) of partner k (0-based)."""
        slug, name, sector = self.partners[k]
        r = self._stream("partner", k)
        fm = {"name": name, "sector": sector}
        if k < len(CURATED_PARTNERS) and CURATED_PARTNERS[k][0] == slug:
            fm["website"] = CURATED_PARTNERS[k][3]
        elif r.random() < 0.85:
            tld = {"public": ".gov.uk", "private": ".co.uk", "voluntary": ".org.uk",
                   "education": ".ac.uk"}[sector]
            fm["website"] = "https://www.%s%s/" % (slug.replace("-", "")[:24], tld)
        if r.random() < 0.05:
            fm["logo"] = PLACEHOLDER
            fm["logo_alt"] = "%s logo" % name
        if r.random() < 0.6:
            handle = "".join(w[:1].upper() + w[1:] for w in slug.split("-"))[:15]
            fm["twitter"] = ("@" if r.random() < 0.5 else "") + handle
        if r.random() < 0.2:
            fm["facebook"] = "https://www.facebook.com/%s" % slug.replace("-", "")
        if r.random() < 0.9:
            if k < 10:
                fm["joined"] = dt.date(2015, 7, 8)    # the first event, at the MAC
            else:
                fm["joined"] = STORY_START + dt.timedelta(days=r.randint(0, (STORY_END - STORY_START).days))
        n = r.choice((0, 1, 1, 2, 2, 3))
        if n:
            fm["commitments"] = sorted(r.sample(COMMITMENT_KEYS, n), key=COMMITMENT_KEYS.index)
        return "content/partners/%s.md" % slug, fm, self._partner_body(r, name, sector)

    def _partner_body(self, r, name, sector):
        """80 to 300 words: an opening that names the partner, then paragraphs
        and now and then a list."""
        opening = "%s is part of Birmingham’s %s, working in %s and beyond." % (
            name, dict(SECTORS)[sector].lower(), r.choice(PLACES))
        target = r.randint(80, 300)
        paras = [self._paragraph(r, 0, 2, 3, 0.0, first=opening)[0]]
        words = count_words(paras[0])
        while words < target:
            if r.random() < 0.15 and len(paras) > 1:
                p = self._list(r, 0) if r.random() < 0.5 else self._paragraph_text(r, 1, 3)
            else:
                p = self._paragraph_text(r, 1, 3)
            w = count_words(p)
            if words + w > 300:
                p = self._sentence(r)
                w = count_words(p)
                if words + w > 300:
                    break
            paras.append(p)
            words += w
        return "\n\n".join(paras) + "\n"

    # -- timeline --------------------------------------------------------------

    def timeline_entry(self, k):
        """(path, front matter, body) of timeline entry k (0-based): the first
        ones follow the campaign's real history, the rest are spread over
        September 2016 to 2027."""
        r = self._stream("timeline", k)
        slugs = [p[0] for p in self.partners]
        if k < len(TIMELINE_CURATED):
            title, date, end, status, location, partners = TIMELINE_CURATED[k]
            partners = [p for p in partners if p in set(slugs)]
        else:
            title, date, end, status, location, partners = self._made_up_event(r, k, slugs)
        fm = {"title": title, "date": date}
        if end:
            fm["end"] = end
        if status:
            fm["status"] = status
        if location:
            fm["location"] = location
        if partners:
            fm["partners"] = partners
        slug = "%s-%d" % (slugify(title, 50), k + 1)
        return "content/timeline/%s.md" % slug, fm, self._timeline_body(r)

    def _made_up_event(self, r, k, slugs):
        title = fill(r, r.choice(TIMELINE_TITLES))
        first = dt.date(2016, 9, 1)
        span = (TIMELINE_END - first).days
        share = (k - len(TIMELINE_CURATED) + 0.5) / max(1, self.timeline_count - len(TIMELINE_CURATED))
        date = first + dt.timedelta(days=min(span, max(0, int(share * span) + r.randint(-30, 30))))
        end = None
        if r.random() < 0.3:
            end = date + dt.timedelta(days=r.randint(7, 200))
        elif r.random() < 0.25:
            date = dt.datetime(date.year, date.month, date.day, r.choice((10, 14, 18)),
                               r.choice((0, 30)), tzinfo=uk_offset(date))
        status = None
        if r.random() < 0.5:
            # A status that agrees with the dates; left out where they leave it open.
            if as_date(end or date).year <= 2025:
                status = "done"
            elif as_date(date).year >= 2027:
                status = "planned"
            elif end and end.year >= 2027 and as_date(date).year <= 2026:
                status = "in-progress"
        location = r.choice(VENUES) if r.random() < 0.7 else None
        partners = sorted(r.sample(slugs, min(len(slugs), r.choice((0, 1, 1, 2, 2, 3, 4)))))
        return title, date, end, status, location, partners

    def _timeline_body(self, r):
        """30 to 150 words."""
        target = r.randint(30, 150)
        text = self._paragraph_text(r, 1, 3)
        while count_words(text) < target:
            more = self._sentence(r)
            if count_words(text + " " + more) > 150:
                if count_words(text) >= 30:
                    break
                continue
            text += " " + more
        return text + "\n"

    # -- pages ---------------------------------------------------------------

    def page(self, k):
        """(path, front matter, body) of page k (0-based): the site's real pages
        first (about, get involved, ...), then resources-11, -12, ..."""
        r = self._stream("page", k)
        if k < len(PAGES_CURATED):
            slug, title, description, weight, menu = PAGES_CURATED[k]
        else:
            slug, title, description, weight, menu = (
                "resources-%d" % (k + 1), "Resources %d" % (k + 1),
                "Documents and links for partners.", 100 + k, False)
        fm = {"title": title, "description": description, "weight": weight, "menu": menu}
        if slug == "privacy":
            fm["aliases"] = ["/privacy-policy/"]
        blocks = [self._paragraph_text(r, 2, 4)]
        for heading in r.sample(self.subheadings, r.randint(1, 3)):
            blocks.append("## " + heading)
            blocks.append(self._paragraph_text(r, 2, 5))
            if r.random() < 0.4:
                blocks.append(self._list(r, 0))
        return "content/pages/%s.md" % slug, fm, "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------------------
# The two formats
# ---------------------------------------------------------------------------

FORMATS = ("brum", "hugo")

HOME_BODY = """\
Birmingham Partners is *a coalition, not a committee*: people from the public, private and
voluntary sectors working together on a shared, positive vision for the city.

Our campaign asks two questions — **what’s great about Birmingham?** and **what will make
Birmingham successful in the future?** Read the stories below, meet our partners, and
follow the timeline of what happens next.
"""
HOME = "+++\n" + toml_lines([("title", SITE_TITLE)]) + "+++\n\n" + HOME_BODY


def render(fmt, kind, fm, body):
    """One content file: front matter between `+++` lines, a blank line, the Markdown."""
    if fmt == "brum":
        return "+++\n" + toml_lines(fm.items()) + "+++\n\n" + body
    return ("+++\n" + toml_lines(hugo_front_matter(kind, fm)) + "+++\n\n"
            + body.replace("<!-- more -->", "<!--more-->"))


def hugo_front_matter(kind, fm):
    """brum's fields as Hugo reads them: a partner's `name` is its `title`,
    `updated` is `lastmod`, a page in the menu is in menu "main"; the rest are
    params, read by the theme below."""
    if kind == "partner":
        return [("title", fm["name"])] + [(k, v) for k, v in fm.items() if k != "name"]
    items = []
    for k, v in fm.items():
        if kind == "page" and k == "menu":
            if v:
                items.append(("menu", "main"))
        else:
            items.append(("lastmod" if k == "updated" else k, v))
    return items


def site_files(fmt):
    """(path, text or bytes) of everything but the content items."""
    files = [("static/images/placeholder.jpg", placeholder_jpeg())]
    if fmt == "brum":
        return files + [("site.toml", SITE_TOML), ("content/_index.md", HOME)]
    files += [
        ("static/style.css", HUGO_CSS),
        ("config.toml", hugo_config()),
        ("content/_index.md", HOME),
        ("content/stories/_index.md", '+++\ntitle = "Stories"\n+++\n'),
        ("content/partners/_index.md", '+++\ntitle = "Partners"\noutputs = ["HTML"]\n+++\n'),
        # Timeline entries are events, published whatever their date, as in
        # brum; stories keep Hugo's rule that a future date waits.
        ("content/timeline/_index.md",
         '+++\ntitle = "Timeline"\n[cascade]\npublishDate = 2015-01-01\n+++\n'),
        ("content/pages/_index.md", '+++\ntitle = "Pages"\noutputs = ["HTML"]\n+++\n'),
        # no feed for the list of topics
        ("content/topics/_index.md", '+++\ntitle = "Topics"\noutputs = ["HTML"]\n+++\n'),
    ]
    return files + [("layouts/" + k, v) for k, v in sorted(HUGO_LAYOUTS.items())]


def hugo_config():
    return ('baseURL = "%s/"\n' % BASE_URL
            + 'title = "%s"\n' % SITE_TITLE
            + 'languageCode = "en-GB"\n'
            + "paginate = 10\n"
            + "rssLimit = 20\n"
            + "enableRobotsTXT = true\n"
            + "\n[taxonomies]\ntopic = \"topics\"\n"
            + "\n[markup.highlight]\ncodeFences = false\n"
            + "\n[params]\n"
            + "description = %s\n" % toml_string(SITE_DESCRIPTION)
            + "campaign_name = %s\n" % toml_string(CAMPAIGN_NAME)
            + "twitter = %s\n" % toml_string(TWITTER)
            + "facebook = %s\n" % toml_string(FACEBOOK)
            + toml_table("params.questions", QUESTIONS)
            + toml_table("params.topics", TOPICS)
            + toml_table("params.sectors", SECTORS)
            + toml_table("params.commitments", COMMITMENTS))


# ---------------------------------------------------------------------------
# The Hugo theme: small, so that Hugo does the kinds of work brum does with
# this content: a base layout with the menu (pages by weight), head tags and
# footer; the home page with its introduction and the 10 latest stories;
# stories paginated by 10; a story with its topics and partner; a partner with
# its stories and timeline entries (found through an index built once per
# build, partials/partner-index.html); the partners; the timeline in date
# order with each entry's status; topics, each paginated by 10; a 404 page;
# feeds of 20 items; the sitemap and robots.txt. No syntax highlighting.
# ---------------------------------------------------------------------------

HUGO_CSS = """\
body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 0 auto; padding: 1rem; line-height: 1.5; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.meta, time { color: #555; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25rem .5rem; }
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else if eq .Kind "term" }}{{ index site.Params.topics .Data.Term }} – {{ site.Title }}{{ else }}{{ .Title }} – {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | absURL }}">
<link rel="stylesheet" href="{{ "style.css" | absURL }}">
</head>
<body>
<header>
<a class="site-title" href="{{ site.Home.Permalink }}">{{ site.Title }}</a>
<nav><ul>
<li><a href="{{ "stories/" | absURL }}">Stories</a></li>
<li><a href="{{ "partners/" | absURL }}">Partners</a></li>
<li><a href="{{ "timeline/" | absURL }}">Timeline</a></li>
<li><a href="{{ "topics/" | absURL }}">Topics</a></li>
{{- range site.Menus.main }}
<li><a href="{{ .URL | absURL }}">{{ .Name }}</a></li>
{{- end }}
</ul></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>
<p>{{ site.Params.campaign_name }} · <a href="https://twitter.com/{{ site.Params.twitter }}">@{{ site.Params.twitter }}</a> · <a href="{{ site.Params.facebook }}">Facebook</a></p>
<p>© {{ site.Title }}</p>
</footer>
</body>
</html>
""",
    "partials/story-item.html": """\
<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.author }} · {{ . }}{{ end }}
<div class="summary">{{ with .Params.summary }}{{ . }}{{ else }}{{ if strings.Contains .RawContent "<!--more-->" }}{{ .Summary }}{{ else }}{{ index (split .Content "</p>") 0 | safeHTML }}</p>{{ end }}{{ end }}</div></li>
""",
    "partials/pager.html": """\
<nav class="pager">{{ if .HasPrev }}<a href="{{ .Prev.URL | absURL }}">Newer</a>{{ end }} <span>Page {{ .PageNumber }} of {{ .TotalPages }}</span> {{ if .HasNext }}<a href="{{ .Next.URL | absURL }}">Older</a>{{ end }}</nav>
""",
    "partials/status.html": """\
{{- $now := now -}}
{{- with .Params.status }}{{ . }}{{ else }}{{ if .Date.After $now }}planned{{ else if and .Params.end (gt (time .Params.end).Unix $now.Unix) }}in-progress{{ else }}done{{ end }}{{ end -}}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
<h2>Latest stories</h2>
<ul class="stories">
{{- range first 10 (site.GetPage "/stories").Pages }}
{{ partial "story-item.html" . }}
{{- end }}
</ul>
<p><a href="{{ "stories/" | absURL }}">All stories</a></p>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{- range .Pages }}
<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>
{{- end }}
</ul>
{{ end }}
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
{{ end }}
""",
    "stories/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul class="stories">
{{- range $pager.Pages }}
{{ partial "story-item.html" . }}
{{- end }}
</ul>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "stories/single.html": """\
{{ define "main" }}
<article class="story">
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.author }} · by {{ . }}{{ end }}{{ if gt .Lastmod.Unix .Date.Unix }} · updated {{ .Lastmod.Format "2 January 2006" }}{{ end }}</p>
{{ with .Params.question }}<p class="question">Answering: {{ index site.Params.questions . }}</p>{{ end }}
{{ with .Params.image }}<img src="{{ . | absURL }}" alt="{{ $.Params.image_alt }}">{{ end }}
{{ .Content }}
{{ with .GetTerms "topics" }}<p class="topics">Topics:{{ range . }} <a href="{{ .Permalink }}">{{ index site.Params.topics .Data.Term }}</a>{{ end }}</p>{{ end }}
{{ with .Params.partner }}{{ with site.GetPage (printf "/partners/%s" .) }}<p class="partner">Partner: <a href="{{ .Permalink }}">{{ .Title }}</a></p>{{ end }}{{ end }}
</article>
{{ end }}
""",
    "partners/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="partners">
{{- range .Pages.ByTitle }}
<li><a href="{{ .Permalink }}">{{ .Title }}</a> · {{ index site.Params.sectors .Params.sector }}</li>
{{- end }}
</ul>
{{ end }}
""",
    "partners/single.html": """\
{{ define "main" }}
{{ $slug := .File.ContentBaseName }}
<article class="partner">
<h1>{{ .Title }}</h1>
<p class="sector">{{ index site.Params.sectors .Params.sector }}</p>
{{ with .Params.logo }}<img src="{{ . | absURL }}" alt="{{ $.Params.logo_alt }}">{{ end }}
<ul class="links">
{{ with .Params.website }}<li><a href="{{ . }}">Website</a></li>{{ end }}
{{ with .Params.twitter }}<li><a href="https://twitter.com/{{ strings.TrimPrefix "@" . }}">@{{ strings.TrimPrefix "@" . }}</a></li>{{ end }}
{{ with .Params.facebook }}<li><a href="{{ . }}">Facebook</a></li>{{ end }}
</ul>
{{ with .Params.joined }}<p>Joined {{ time.Format "2 January 2006" . }}</p>{{ end }}
{{ with .Params.commitments }}<h2>Commitments</h2>
<ul>{{ range . }}<li>{{ index site.Params.commitments . }}</li>{{ end }}</ul>{{ end }}
{{ .Content }}
{{ $idx := partialCached "partner-index.html" site "partner-index" }}
{{ $stories := index $idx.stories $slug }}
{{ $events := index $idx.timeline $slug }}
{{ with $stories }}<h2>Stories</h2>
<ul>
{{- range . }}
<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time></li>
{{- end }}
</ul>{{ end }}
{{ with $events }}<h2>Timeline</h2>
<ul>
{{- range . }}
<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time></li>
{{- end }}
</ul>{{ end }}
</article>
{{ end }}
""",
    "partials/partner-index.html": """\
{{- /* partner slug -> its stories, and -> its timeline entries; built once (partialCached) */ -}}
{{- $stories := newScratch -}}
{{- range $p := (site.GetPage "/stories").Pages -}}
{{- with $p.Params.partner }}{{ $stories.Add . (slice $p) }}{{ end -}}
{{- end -}}
{{- $timeline := newScratch -}}
{{- range $p := (site.GetPage "/timeline").Pages.ByDate -}}
{{- range $p.Params.partners }}{{ $timeline.Add . (slice $p) }}{{ end -}}
{{- end -}}
{{- return dict "stories" $stories.Values "timeline" $timeline.Values -}}
""",
    "timeline/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol class="timeline">
{{- range .Pages.ByDate }}
<li><time>{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.end }} – <time>{{ time.Format "2 January 2006" . }}</time>{{ end }} <a href="{{ .Permalink }}">{{ .Title }}</a> <span class="status">{{ partial "status.html" . }}</span>{{ with .Params.location }} · {{ . }}{{ end }}</li>
{{- end }}
</ol>
{{ end }}
""",
    "timeline/single.html": """\
{{ define "main" }}
<article class="timeline-entry">
<h1>{{ .Title }}</h1>
<p class="meta"><time>{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.end }} – <time>{{ time.Format "2 January 2006" . }}</time>{{ end }} · <span class="status">{{ partial "status.html" . }}</span>{{ with .Params.location }} · {{ . }}{{ end }}</p>
{{ .Content }}
{{ with .Params.partners }}<h2>Partners</h2>
<ul>{{ range . }}{{ with site.GetPage (printf "/partners/%s" .) }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
</article>
{{ end }}
""",
    "_default/terms.html": """\
{{ define "main" }}
<h1>Topics</h1>
<ul class="topics">
{{- range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.Permalink }}">{{ index site.Params.topics .Name }}</a> ({{ .Count }})</li>
{{- end }}
</ul>
{{ end }}
""",
    "_default/term.html": """\
{{ define "main" }}
<h1>{{ index site.Params.topics .Data.Term }}</h1>
{{ $pager := .Paginate .Pages }}
<ul class="stories">
{{- range $pager.Pages }}
{{ partial "story-item.html" . }}
{{- end }}
</ul>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "404.html": """\
{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ site.Home.Permalink }}">Back to the home page</a></p>
{{ end }}
""",
}


# ---------------------------------------------------------------------------
# Writing a corpus
# ---------------------------------------------------------------------------

_MADE_DIRS = set()


def write(root, rel, data):
    """Writes one file (text as UTF-8, as it is: LF line ends) in few system calls."""
    path = os.path.join(root, rel)
    folder = os.path.dirname(path)
    if folder not in _MADE_DIRS:
        os.makedirs(folder, exist_ok=True)
        _MADE_DIRS.add(folder)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


# Each worker process makes its own Corpus (the same, from the same seed) and
# writes whole chunks of items.
_WORKER = {}
KINDS = ("story", "partner", "timeline", "page")
CHUNK = 500


def _start_worker(fmt, counts, out):
    _WORKER.update(fmt=fmt, corpus=Corpus(**counts), out=out)


def _write_chunk(task):
    kind, start, end = task
    fmt, corpus, out = _WORKER["fmt"], _WORKER["corpus"], _WORKER["out"]
    make = {"story": corpus.story, "partner": corpus.partner,
            "timeline": corpus.timeline_entry, "page": corpus.page}[kind]
    for i in range(start, end):
        rel, fm, body = make(i)
        write(out, rel, render(fmt, kind, fm, body))
    return kind, end - start


def chunks(counts):
    """(kind, first, end) tasks covering every item: stories count from 1, the rest from 0."""
    n = counts["stories"]
    tasks = [("story", s, min(s + CHUNK, n + 1)) for s in range(1, n + 1, CHUNK)]
    for kind, count in (("partner", counts["partners"]), ("timeline", counts["timeline"])):
        tasks += [(kind, s, min(s + CHUNK, count)) for s in range(0, count, CHUNK)]
    if counts["pages"]:
        tasks.append(("page", 0, counts["pages"]))
    return tasks


def empty_out(out, clean):
    """Makes `out` an empty folder: it may be absent or empty, or, with clean,
    hold an earlier corpus (one with the marker), which is deleted."""
    if os.path.exists(out) and os.listdir(out):
        if not clean:
            sys.exit("error: %s is not empty (--clean replaces an earlier corpus)" % out)
        if not os.path.exists(os.path.join(out, MARKER)):
            sys.exit("error: %s has no %s, so it is not a corpus; not deleting it" % (out, MARKER))
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)


def generate(args):
    started = time.time()
    counts = dict(stories=args.stories,
                  partners=args.partners if args.partners is not None else max(20, args.stories // 10),
                  timeline=args.timeline if args.timeline is not None else max(10, args.stories // 20),
                  pages=args.pages, seed=args.seed)
    empty_out(args.out, args.clean)
    for rel, data in site_files(args.format):
        write(args.out, rel, data)
    marker = dict(counts, generator="bench/corpus.py", version=CORPUS_VERSION, format=args.format)
    write(args.out, MARKER, json.dumps(marker, indent=2, sort_keys=True) + "\n")

    written = dict.fromkeys(KINDS, 0)
    tasks = chunks(counts)
    jobs = args.jobs or min(8, os.cpu_count() or 1)
    if jobs > 1 and len(tasks) > 1:
        import multiprocessing
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with context.Pool(jobs, initializer=_start_worker,
                          initargs=(args.format, counts, args.out)) as pool:
            for kind, n in pool.imap_unordered(_write_chunk, tasks):
                written[kind] += n
    else:
        _start_worker(args.format, counts, args.out)
        for task in tasks:
            kind, n = _write_chunk(task)
            written[kind] += n
    if not args.quiet:
        print("wrote a %s corpus to %s: %d stories, %d partners, %d timeline entries, %d pages "
              "(seed %d) in %.1f s" % (args.format, args.out, written["story"], written["partner"],
                                       written["timeline"], written["page"], args.seed,
                                       time.time() - started))


# ---------------------------------------------------------------------------
# --check-build: a page for everything published, and nothing else
# ---------------------------------------------------------------------------

SECTIONS = {"stories": "story", "partners": "partner", "timeline": "timeline", "pages": "page"}


def content_files(root):
    """(kind, path, slug from the file name) of every content item under root/content."""
    base = os.path.join(root, "content")
    for section in sorted(os.listdir(base)):
        kind = SECTIONS.get(section)
        if kind is None:
            continue
        folder = os.path.join(base, section)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(os.path.join(path, "index.md")):
                yield kind, os.path.join(path, "index.md"), name
            elif name.endswith(".md") and name != "_index.md":
                yield kind, path, name[:-3]


def front_matter(path):
    """The TOML between a file's `+++` lines, read; ValueError if it has none."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("+++\n"):
        raise ValueError("does not start with a `+++` line")
    end = text.find("\n+++\n", 3)
    if end < 0:
        if not text.endswith("\n+++"):
            raise ValueError("has no closing `+++` line")
        end = len(text) - 4
    return tomllib.loads(text[4:end + 1])


def build_time():
    """When the build under check ran, as it saw it: SOURCE_DATE_EPOCH when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def page_address(fmt, kind, slug):
    """Where a build puts an item's page, relative to its output folder. brum
    gives a page its own address (docs/content.md); Hugo keeps the section."""
    if kind == "page" and fmt == "brum":
        return os.path.join(slug, "index.html")
    section = {v: k for k, v in SECTIONS.items()}[kind]
    return os.path.join(section, slug, "index.html")


def check_build(root, out):
    """Prints what it checked and the problems, then `check-build: OK` or the
    number of problems; whether there were none."""
    marker_path = os.path.join(root, MARKER)
    marker = {}
    if os.path.exists(marker_path):
        with open(marker_path, encoding="utf-8") as f:
            marker = json.load(f)
    fmt = marker.get("format", "brum")
    if fmt not in FORMATS:
        sys.exit("error: %s is a %s corpus; --check-build knows %s" % (root, fmt, " and ".join(FORMATS)))
    now = build_time()
    problems = []
    published = dict.fromkeys(KINDS, 0)
    unpublished = 0
    for kind, path, file_slug in content_files(root):
        rel = os.path.relpath(path, root)
        try:
            fm = front_matter(path)
        except (ValueError, tomllib.TOMLDecodeError) as e:
            problems.append("%s: cannot read its front matter: %s" % (rel, e))
            continue
        # Drafts are never published; stories only once their date has come.
        live = fm.get("draft") is not True and (kind != "story" or instant(fm["date"]) <= now)
        exists = os.path.isfile(os.path.join(out, page_address(fmt, kind, fm.get("slug", file_slug))))
        if live:
            published[kind] += 1
            if not exists:
                problems.append("missing %s page for %s" % (kind, rel))
        else:
            unpublished += 1
            if exists:
                problems.append("%s page exists for unpublished %s" % (kind, rel))
    html = sum(1 for _, _, files in os.walk(out) for f in files if f.endswith(".html"))
    print("check-build %s (%s corpus) -> %s: %d HTML files; published, so looked for: %d stories, "
          "%d partners, %d timeline entries, %d pages; unpublished, so not to be there: %d items"
          % (root, fmt, out, html, published["story"], published["partner"],
             published["timeline"], published["page"], unpublished))
    for p in problems[:100]:
        print("ERROR " + p)
    print("check-build: %s" % ("OK" if not problems else "%d problem(s)" % len(problems)))
    return not problems


# ---------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", metavar="DIR",
                    help="the folder to write; absent or empty, unless --clean")
    ap.add_argument("--stories", type=int, metavar="N", help="stories")
    ap.add_argument("--partners", type=int, metavar="P",
                    help="partner profiles, the first 20 real Birmingham organisations "
                         "(default: N/10, at least 20)")
    ap.add_argument("--timeline", type=int, metavar="T",
                    help="timeline entries, the first 11 the campaign's own history "
                         "(default: N/20, at least 10)")
    ap.add_argument("--pages", type=int, default=5, metavar="K",
                    help="plain pages: about, get involved, contact, privacy, ... (default 5)")
    ap.add_argument("--format", choices=FORMATS, default="brum",
                    help="brum: site.toml and content/ as docs/content.md describes (default); "
                         "hugo: the same content as a Hugo site")
    ap.add_argument("--seed", type=int, default=1, help="another seed, another corpus (default 1)")
    ap.add_argument("--jobs", type=int, default=0, metavar="J",
                    help="worker processes (default: the CPUs, at most 8); the output is the same")
    ap.add_argument("--clean", action="store_true",
                    help="first delete --out if it holds an earlier corpus (it has %s)" % MARKER)
    ap.add_argument("--quiet", action="store_true", help="print nothing when it works")
    ap.add_argument("--check-build", nargs=2, metavar=("DIR", "OUT"),
                    help="check OUT, a build of the corpus in DIR: a page for every published "
                         "item, none for the others")
    args = ap.parse_args(argv)
    if args.check_build:
        return 0 if check_build(*args.check_build) else 1
    if not args.out or args.stories is None:
        ap.error("--out and --stories are needed (or --check-build DIR OUT)")
    if args.stories < 1 or args.pages < 0 or (args.partners is not None and args.partners < 1) \
            or (args.timeline is not None and args.timeline < 0):
        ap.error("--stories and --partners must be at least 1, --timeline and --pages at least 0")
    generate(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
