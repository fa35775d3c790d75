"""Write a reproducible corpus of news-style documents as JSON lines, for the benchmarks.

    python benchmarks/make_corpus.py --docs 1000 -o corpus.jsonl
    python benchmarks/make_corpus.py --words 200000 -o corpus.jsonl --seed 3

Each line is ``{"id", "title", "date", "text"}``, the input ``kg build`` reads. The same
seed and size always give the same bytes, and the first N documents of a larger corpus
are the N documents of a smaller one with the same seed.

The documents read like wire copy: a dateline, a lead sentence, paragraphs that mix
events between recurring actors (real countries and international organisations;
invented leaders and ministers with titles, who recur across documents) with background
sentences that state no event. Sentence shapes vary: active and passive voice, reported
speech and quotations, intentions ("will visit"), hypotheticals ("could impose"),
negations ("did not attend"), nominal events ("talks between ..."), coordinated actors,
and trailing clauses of time and place. About 200 to 450 words a document, like the
development articles (240 to 730 words).
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = ["make_documents", "write_corpus"]

# country name, demonym, capital; real places, so the gazetteer resolves them.
COUNTRIES = [
    ("Kenya", "Kenyan", "Nairobi"),
    ("Uganda", "Ugandan", "Kampala"),
    ("Tanzania", "Tanzanian", "Dodoma"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Sudan", "Sudanese", "Khartoum"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Ghana", "Ghanaian", "Accra"),
    ("Senegal", "Senegalese", "Dakar"),
    ("South Africa", "South African", "Pretoria"),
    ("France", "French", "Paris"),
    ("Germany", "German", "Berlin"),
    ("Italy", "Italian", "Rome"),
    ("Spain", "Spanish", "Madrid"),
    ("Poland", "Polish", "Warsaw"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("Russia", "Russian", "Moscow"),
    ("Turkey", "Turkish", "Ankara"),
    ("Greece", "Greek", "Athens"),
    ("Sweden", "Swedish", "Stockholm"),
    ("Norway", "Norwegian", "Oslo"),
    ("Britain", "British", "London"),
    ("Ireland", "Irish", "Dublin"),
    ("Canada", "Canadian", "Ottawa"),
    ("Mexico", "Mexican", "Mexico City"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("Argentina", "Argentine", "Buenos Aires"),
    ("Colombia", "Colombian", "Bogota"),
    ("Venezuela", "Venezuelan", "Caracas"),
    ("Chile", "Chilean", "Santiago"),
    ("Peru", "Peruvian", "Lima"),
    ("Iran", "Iranian", "Tehran"),
    ("Iraq", "Iraqi", "Baghdad"),
    ("Syria", "Syrian", "Damascus"),
    ("Israel", "Israeli", "Jerusalem"),
    ("Jordan", "Jordanian", "Amman"),
    ("Saudi Arabia", "Saudi", "Riyadh"),
    ("Qatar", "Qatari", "Doha"),
    ("Yemen", "Yemeni", "Sanaa"),
    ("Pakistan", "Pakistani", "Islamabad"),
    ("India", "Indian", "New Delhi"),
    ("China", "Chinese", "Beijing"),
    ("Japan", "Japanese", "Tokyo"),
    ("South Korea", "South Korean", "Seoul"),
    ("North Korea", "North Korean", "Pyongyang"),
    ("Vietnam", "Vietnamese", "Hanoi"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("the Philippines", "Philippine", "Manila"),
    ("Australia", "Australian", "Canberra"),
    ("Thailand", "Thai", "Bangkok"),
]

ORGANISATIONS = [
    "the United Nations",
    "the UN Security Council",
    "NATO",
    "the European Union",
    "the African Union",
    "ASEAN",
    "the World Bank",
    "the International Monetary Fund",
    "the World Health Organization",
    "the International Criminal Court",
    "the Red Cross",
    "ECOWAS",
    "the Arab League",
]

FIRST_NAMES = (
    "Amara Helena Tomas Kwame Ingrid Rafael Leila Dmitri Mei Hiroshi Fatima Joao Anna Piotr Sofia Omar "
    "Grace Lars Ayesha Carlos Nadia Yusuf Elena Kofi Marta Ibrahim Chen Priya Mateo Olga Samuel Aiko "
    "Hassan Claire Andrei Zainab Luis Ewa Tariq Ruth"
).split()
SURNAMES = (
    "Okafor Varga Reyes Mensah Lindqvist Moreno Haddad Volkov Tanaka Sato Diallo Ferreira Kowalska Nowak "
    "Rossi Farouk Mwangi Berg Siddiqui Ortega Karimi Demir Petrova Asante Novak Abdullah Wei Sharma "
    "Castillo Ivanova Achebe Nakamura Mahmoud Dubois Popescu Bello Herrera Zielinska Rahman Kagame"
).split()
TITLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Finance Minister",
    "Interior Minister",
    "Trade Minister",
]

FILLER = [
    "Talks on the matter have stalled for months, according to officials familiar with the file.",
    "The region has seen repeated flare-ups over grazing land, water and the border since the 1990s.",
    "Inflation in the country reached {n} per cent last month, the central bank said.",
    "Analysts said the move was aimed at a domestic audience ahead of elections next year.",
    "The announcement came after a week of heavy rain that cut roads in the north.",
    "Markets in {capital} were little changed on the news.",
    "Neither side gave details of the timetable.",
    "More than {n},000 people have been displaced by the fighting, aid agencies estimate.",
    "The statement did not say when the measures would take effect.",
    "Diplomats said a deal was unlikely before the end of the year.",
    "Shares of state-owned firms rose {n} per cent in early trading.",
    "The ministry declined to comment further when contacted on {weekday}.",
    "The {demonym} currency has lost a fifth of its value this year.",
    "Observers expect the issue to dominate the summit agenda.",
    "Officials said the decision followed months of consultations with regional partners.",
    "Local media reported long queues at fuel stations in {capital}.",
    "The last round of negotiations broke down in {month} over the sequencing of steps.",
    "Turnout in the parliamentary vote was {n} per cent, the electoral commission said.",
    "{person}, who took office in 20{n:02d}, faces a difficult campaign at home.",
    "The {demonym} economy grew by {n} per cent last year, according to official figures.",
    "{person} is due to address parliament in {capital} later this month.",
    "The border crossing near {city} reopened to lorries on {weekday} after a two-day closure.",
    "Both governments have traded barbs over the issue for years.",
    "Prices of bread and fuel in {capital} have doubled since {month}.",
]

QUOTES = [
    "We will not accept any violation of our sovereignty",
    "This is a historic step for both our peoples",
    "Dialogue is the only way forward",
    "The international community must act now",
    "Our doors remain open to talks",
    "These accusations are baseless",
    "We stand ready to help",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = list(calendar.month_name)[1:]
TOPICS = [
    "trade",
    "security",
    "the border",
    "energy supplies",
    "migration",
    "the ceasefire",
    "water rights",
    "debt relief",
    "the refugee crisis",
    "regional stability",
]
AGENCIES = ["Wire", "Agency", "News Service", "Newswire"]


@dataclass(frozen=True)
class _Person:
    name: str
    title: str
    country: tuple[str, str, str]

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def _people(rng: random.Random) -> list[_Person]:
    """A fixed cast of leaders and ministers: the same people recur across documents."""
    people = []
    used: set[str] = set()
    for country in COUNTRIES:
        for title in rng.sample(TITLES, 3):
            while True:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if name not in used:
                    used.add(name)
                    break
            people.append(_Person(name, title, country))
    return people


# Event templates: {a}/{b} any actor (a country, a leader, an organisation), {A}/{B} a
# country only; {w} weekday, {t} topic, {c} city, {n} a number.
EVENTS = {
    "CONSULT": [
        "{a} met {b} in {c} on {w} to discuss {t}.",
        "{a} held talks with {b} on {t}, officials said.",
        "{a} and {b} spoke by telephone on {w} about {t}.",
        "{a} will visit {c} next week for talks with {b}.",
        "Talks between {a} and {b} on {t} ended on {w} without a joint statement.",
        "{a} did not meet {b} during the visit, a spokesperson said.",
    ],
    "AGREE": [
        "{A} and {B} agreed on {w} to set up a joint commission on {t}.",
        "{a} signed an agreement with {b} on {t} in {c}.",
        "{a} pledged to work with {b} on {t}.",
    ],
    "SUPPORT": [
        "{A} said it supported {B}'s bid to join the regional trade bloc.",
        "{a} praised {b} for the handling of {t}.",
        "{a} welcomed the decision by {b}, calling it a step forward.",
    ],
    "AID": [
        "{A} sent food and medicine to {B} after the floods.",
        "{a} will provide {n} million dollars in aid to {B}, the ministry said.",
        "{A} delivered a shipment of vaccines to {B} on {w}.",
    ],
    "COOPERATE": [
        "{A} and {B} will hold joint naval exercises next month.",
        "{a} agreed to share intelligence with {b} on {t}.",
    ],
    "REQUEST": [
        "{a} urged {b} to release the detained journalists.",
        "{a} called on {b} to return to the negotiating table.",
        "{a} asked {b} for help with {t}.",
    ],
    "ACCUSE": [
        "{a} accused {b} of violating the ceasefire.",
        "{a} condemned {B} for the attack on the border post.",
        "{b} was criticised by {a} over the handling of {t}.",
        "{a} has repeatedly blamed {b} for the unrest.",
    ],
    "REJECT": [
        "{a} rejected the proposal put forward by {b}.",
        "{a} refused to recognise the election result in {B}.",
    ],
    "THREATEN": [
        "{a} warned {B} of serious consequences if the troops did not withdraw.",
        "{A} threatened to impose tariffs on {B}.",
    ],
    "SANCTION": [
        "{A} imposed sanctions on {B} on {w}.",
        "{A} expelled {B}'s ambassador over the affair.",
        "{A} could impose new sanctions on {B} if talks fail, diplomats said.",
        "{A} recalled its ambassador from {B} for consultations.",
    ],
    "MOBILIZE": [
        "{A} deployed troops to its border with {B}.",
        "{A} has massed tanks near the frontier with {B}, satellite images show.",
    ],
    "ASSAULT": [
        "{A} shelled positions held by {B} overnight, killing at least {n} people.",
        "{A} launched air strikes on {B} on {w}.",
        "Forces from {A} attacked a convoy from {B} near {c}.",
    ],
    "COERCE": [
        "{A} arrested {n} citizens of {B} on charges of spying.",
        "{A} detained a journalist from {B} in {c}.",
    ],
    "RETREAT": [
        "{A} withdrew its troops from the border with {B}.",
        "{A} released {n} prisoners from {B} under the deal.",
    ],
}


def _actor(rng: random.Random, people: list[_Person], *, first: bool, country_only: bool = False) -> tuple[str, str]:
    """(mention, identity) of a random actor: a country (by name, government or capital), a leader, an organisation."""
    roll = rng.random()
    if roll < 0.45 or country_only:
        country = rng.choice(COUNTRIES)
        form = rng.random()
        if form < 0.6:
            return country[0], country[0]
        if form < 0.8:
            return f"the {country[1]} government", country[0]
        return country[2], country[0]
    if roll < 0.85:
        person = rng.choice(people)
        if first or rng.random() < 0.5:
            return f"{person.country[1]} {person.title} {person.name}", person.name
        return person.name, person.name
    org = rng.choice(ORGANISATIONS)
    return org, org


def _cap(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _document(rng: random.Random, people: list[_Person], n: int, day: date) -> dict:
    home = rng.choice(COUNTRIES)
    fill = {
        "capital": home[2],
        "demonym": home[1],
        "weekday": rng.choice(WEEKDAYS),
        "month": rng.choice(MONTHS),
    }
    paragraphs: list[str] = []
    headline = ""
    target_words = rng.randint(200, 450)
    words = 0
    lead = True
    while words < target_words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.35 or lead:
                etype = rng.choice(list(EVENTS))
                template = rng.choice(EVENTS[etype])
                a, who_a = _actor(rng, people, first=lead, country_only="{A}" in template)
                b, who_b = _actor(rng, people, first=lead, country_only="{B}" in template)
                while who_b == who_a:
                    b, who_b = _actor(rng, people, first=lead, country_only="{B}" in template)
                text = template.format(
                    a=a,
                    A=a,
                    b=b,
                    B=b,
                    w=rng.choice(WEEKDAYS),
                    t=rng.choice(TOPICS),
                    c=rng.choice(COUNTRIES)[2],
                    n=rng.randint(2, 90),
                )
                if lead:
                    headline = _cap(text.rstrip(".").split(",")[0])
                    text = f"{home[2].upper()}, {day.strftime('%B')} {day.day} ({rng.choice(AGENCIES)}) - {_cap(text)}"
                    lead = False
                sentences.append(_cap(text))
            elif rng.random() < 0.25:
                speaker = rng.choice(people)
                sentences.append(f"\u201c{rng.choice(QUOTES)},\u201d {speaker.title.lower()} {speaker.surname} said.")
            else:
                person = rng.choice(people)
                sentence = rng.choice(FILLER).format(
                    n=rng.randint(2, 40),
                    person=f"{person.country[1]} {person.title} {person.name}",
                    city=rng.choice(COUNTRIES)[2],
                    **fill,
                )
                if sentence not in sentences:
                    sentences.append(sentence)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return {
        "id": f"bench-{n:07d}",
        "title": headline,
        "date": day.isoformat(),
        "text": "\n\n".join(paragraphs),
    }


def make_documents(*, docs: int | None = None, words: int | None = None, seed: int = 7) -> Iterator[dict]:
    """Generate documents (dicts with ``id``, ``title``, ``date``, ``text``) lazily.

    Stops after ``docs`` documents, or once ``words`` words (whitespace-separated) are
    written, whichever is given (both: whichever comes first).
    """
    if docs is None and words is None:
        raise ValueError("give docs or words")
    rng = random.Random(seed)
    people = _people(rng)
    start = date(2024, 1, 1)
    total = 0
    n = 0
    while (docs is None or n < docs) and (words is None or total < words):
        n += 1
        record = _document(rng, people, n, start + timedelta(days=rng.randrange(730)))
        total += len(record["text"].split())
        yield record


def write_corpus(path: str | Path, *, docs: int | None = None, words: int | None = None, seed: int = 7) -> dict:
    """Write a corpus to ``path`` (JSON lines); return ``{"docs": N, "words": W, "bytes": B}``."""
    n = total = 0
    with open(path, "w", encoding="utf-8") as f:
        for record in make_documents(docs=docs, words=words, seed=seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            total += len(record["text"].split())
    return {"docs": n, "words": total, "bytes": Path(path).stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--docs", type=int, help="number of documents")
    size.add_argument("--words", type=int, help="approximate number of words")
    parser.add_argument("-o", "--output", default="-", help="JSONL file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    if args.output == "-":
        for record in make_documents(docs=args.docs, words=args.words, seed=args.seed):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    info = write_corpus(args.output, docs=args.docs, words=args.words, seed=args.seed)
    sys.stderr.write(f"wrote {args.output}: {info['docs']:,} documents, {info['words']:,} words\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
