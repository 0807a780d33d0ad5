"""Benchmark of the import of France Compétences' RNCP open-data export (issue 10): ``titrepro catalogue
import-rncp`` reading a generated export of realistic size, the CSV package, into a fresh catalogue.

Usage (PostgreSQL):

    uv run python bench/rncp_import.py                    # 20,000 fiches, about 600 of them the ministry's
    uv run python bench/rncp_import.py --quick            # 2,000 fiches (the same ministry part): a smoke run
    uv run python bench/rncp_import.py --fiches 50000 --seed 2
    uv run python bench/rncp_import.py --database sqlite:////tmp/titrepro-bench-rncp.sqlite3
    uv run python bench/rncp_import.py --export-only /tmp/rncp   # only write the export ZIP there, no import
    uv run python bench/rncp_import.py --profile /tmp/rncp.prof  # the import under cProfile (slower), for pstats

The export, generated in a temporary folder (deterministic for a ``--seed``), is laid out as the real one:
``export-fiches-csv-2024-02-22.zip`` holding semicolon-separated UTF-8 CSV files, each led by a byte-order mark
and a header line, named ``export_fiches_CSV_<Stem>_2024_02_22.csv``: Standard, Rome, Nsf, Certificateurs,
Blocs_De_Compétences, Ancienne_Nouvelle_Certification (what the import reads, by column name), and Voies_d_accès,
Partenaires, CCN, Formacode (which it ignores). ``--fiches`` fiches in all: about 260 titres professionnels of the
ministry of Labour (SIRET 11000007200014, under its current name or an older one), each a chain of 1 to 3
versions (the older ones INACTIVE, their registration ended, linked to the next by an Ancienne_Nouvelle row; the
newest ACTIVE), 2 to 5 blocks each; the rest, fiches of other certifiers (universities, schools, other
ministries, branches, private bodies: BTS, Master, CQP, titres d'ingénieur...), which the import must skip. The
fiche numbers avoid those of the built-in titles (src/titrepro/catalogue/titles/), so the import creates titles
and never meets the built-in ones.

The bench creates its database (``--database``, default
``postgres://postgres@127.0.0.1:5432/titrepro_bench_rncp``, or ``sqlite:///path``; its name must contain
"bench": a leftover one of that name is dropped first), runs ``titrepro migrate`` and ``titrepro catalogue load
--builtin`` on it, then the import, each as a process of its own with DATABASE_URL set (and the data, keys,
media and audit checkpoint of a temporary folder), and drops the database and the folder at the end (``--keep``
keeps them). ``DATABASE_URL`` is not read. The processes compile their bytecode once, into the temporary folder
(``PYTHONPYCACHEPREFIX``, even where ``PYTHONDONTWRITEBYTECODE`` is set): the untimed steps warm it, so the import
starts as an installed titrepro does, not compiling Django and titrepro from source (about 1.5 s more).

Not timed: the generation, the migration, the built-in catalogue. Timed: ``titrepro catalogue import-rncp
EXPORT.zip``, from the start of its process to its exit (Django's start-up included, as an operator runs it); it
must exit 0, or the bench stops with its output. It prints the export's size and counts, the wall time, the
import process's peak memory (its maximum resident set, from ``os.wait4``), the first and last lines the command
printed (its counts; the report in between, one line per change, goes to the temporary folder), and the
catalogue's titles, versions and CCPs before and after, which it checks: the import must add one title per
titre professionnel, one version per fiche of the ministry and one CCP per block of those (the bench exits 1
otherwise). Aim: the import under 60 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from scratch_database import server

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2024, 2, 22)  # the export's date
STAMP = f"{DAY.year}_{DAY.month:02d}_{DAY.day:02d}"
ZIP_NAME = f"export-fiches-csv-{DAY.isoformat()}.zip"
AIM_SECONDS = 60
MINISTRY_TITLES = 260
QUICK_FICHES = 2_000

MINISTRY_SIRET = "11000007200014"
# The ministry's names, newest first, with the day each came in (the current one has a space after the apostrophe).
MINISTRY_NAMES = (
    (date(2022, 5, 20), "MINISTERE DU TRAVAIL DU PLEIN EMPLOI ET DE L' INSERTION"),
    (date(2020, 7, 6), "MINISTERE DU TRAVAIL, DE L'EMPLOI ET DE L'INSERTION"),
    (date(2017, 5, 17), "MINISTERE DU TRAVAIL"),
    (date(1900, 1, 1), "MINISTERE DU TRAVAIL, DE L'EMPLOI, DE LA FORMATION PROFESSIONNELLE ET DU DIALOGUE SOCIAL"),
)


@dataclass(frozen=True)
class Sector:
    heads: tuple[str, ...]  # a job's label: a head and a complement
    complements: tuple[str, ...]
    fields: tuple[str, ...]  # a diploma's field
    objects: tuple[str, ...]  # what a block's label acts on
    rome: tuple[tuple[str, str], ...]
    nsf: tuple[tuple[str, str], ...]
    formacode: tuple[tuple[str, str], ...]


SECTORS = (
    Sector(
        (
            "Technicien supérieur",
            "Technicien",
            "Administrateur",
            "Développeur",
            "Concepteur développeur",
            "Gestionnaire",
        ),
        (
            "systèmes et réseaux",
            "d'infrastructures sécurisées",
            "web et web mobile",
            "d'applications",
            "en cybersécurité",
            "de parc informatique",
            "d'assistance en informatique",
        ),
        (
            "Services informatiques aux organisations",
            "Informatique",
            "Cybersécurité",
            "Réseaux et télécommunications",
            "Métiers du numérique : conception, rédaction et réalisation web",
            "Science des données",
        ),
        (
            "une infrastructure systèmes et réseaux",
            "les postes de travail et les périphériques",
            "une application web sécurisée",
            "la sécurité du système d'information",
            "le support aux utilisateurs",
            "une base de données relationnelle",
            "un réseau local d'entreprise",
            "les sauvegardes et la continuité de service",
        ),
        (
            ("M1810", "Production et exploitation de systèmes d'information"),
            ("I1401", "Maintenance informatique et bureautique"),
            ("M1805", "Études et développement informatique"),
            ("M1801", "Administration de systèmes d'information"),
            ("M1806", "Conseil et maîtrise d'ouvrage en systèmes d'information"),
        ),
        (
            ("326r", "Informatique, traitement de l'information, réseaux de transmission des données"),
            ("326t", "Programmation, mise en place de logiciels"),
            ("326n", "Analyse informatique, conception d'architecture de réseaux"),
            ("326", "Informatique, traitement de l'information, réseaux de transmission"),
        ),
        (
            ("31054", "informatique"),
            ("31006", "sécurité informatique"),
            ("31094", "administration réseau"),
            ("31088", "développement web"),
        ),
    ),
    Sector(
        ("Cuisinier", "Agent", "Serveur", "Commis", "Employé", "Responsable"),
        (
            "de restauration",
            "en restauration collective",
            "en hôtellerie",
            "de cuisine",
            "de salle",
            "de bar",
            "d'étage en hôtellerie",
        ),
        (
            "Management en hôtellerie-restauration",
            "Cuisine",
            "Commercialisation et services en restauration",
            "Boulangerie",
            "Tourisme et loisirs",
        ),
        (
            "la production culinaire",
            "le service en salle",
            "l'accueil de la clientèle",
            "les règles d'hygiène et de sécurité alimentaire",
            "les approvisionnements et les stocks",
            "une équipe de cuisine",
            "l'entretien des chambres et des espaces communs",
        ),
        (
            ("G1602", "Personnel de cuisine"),
            ("G1603", "Personnel polyvalent en restauration"),
            ("G1803", "Service en restauration"),
            ("G1703", "Réception en hôtellerie"),
            ("G1501", "Personnel d'étage"),
        ),
        (
            ("221", "Agro-alimentaire, alimentation, cuisine"),
            ("221t", "Cuisine"),
            ("334", "Accueil, hôtellerie, tourisme"),
            ("334t", "Restauration"),
        ),
        (("42752", "cuisine"), ("42796", "service restauration"), ("42758", "hôtellerie"), ("21591", "hygiène")),
    ),
    Sector(
        ("Maçon", "Électricien", "Plombier chauffagiste", "Peintre", "Menuisier", "Technicien", "Chef d'équipe"),
        (
            "d'équipement du bâtiment",
            "du bâtiment",
            "en rénovation",
            "installateur",
            "en bâtiment et travaux publics",
            "de chantier",
        ),
        (
            "Bâtiment",
            "Travaux publics",
            "Génie civil et construction",
            "Aménagement et finition",
            "Études et économie de la construction",
            "Fluides, énergies, domotique",
        ),
        (
            "les travaux de maçonnerie",
            "les installations électriques d'un bâtiment",
            "un chantier de rénovation énergétique",
            "les réseaux de plomberie et de chauffage",
            "les finitions intérieures",
            "les ouvrages en béton armé",
            "la planification ; le suivi des interventions",
            "la pose de revêtements de sol",
        ),
        (
            ("F1703", "Maçonnerie"),
            ("F1602", "Électricité bâtiment"),
            ("F1603", "Installation d'équipements sanitaires et thermiques"),
            ("F1606", "Peinture en bâtiment"),
            ("F1607", "Pose de fermetures menuisées"),
            ("F1202", "Direction et conduite de travaux"),
        ),
        (
            ("232", "Bâtiment : construction et couverture"),
            ("233", "Bâtiment : finitions"),
            ("227", "Énergie, génie climatique"),
            ("230", "Spécialités pluritechnologiques génie civil, construction, bois"),
        ),
        (("22454", "maçonnerie"), ("24054", "électricité bâtiment"), ("22654", "plomberie"), ("22252", "génie civil")),
    ),
    Sector(
        ("Technicien", "Opérateur", "Soudeur", "Technicien supérieur", "Agent", "Conducteur", "Mécanicien"),
        (
            "de maintenance industrielle",
            "régleur en usinage",
            "en chaudronnerie",
            "d'installation en production",
            "de fabrication industrielle",
            "en automatismes",
            "de ligne automatisée",
        ),
        (
            "Maintenance des systèmes de production",
            "Génie mécanique et productique",
            "Génie électrique et informatique industrielle",
            "Chaudronnerie industrielle",
            "Conception des produits industriels",
            "Mécatronique",
        ),
        (
            "la maintenance préventive des équipements",
            "un dépannage sur un système automatisé",
            "l'usinage de pièces sur machines à commande numérique",
            "des assemblages soudés",
            "la conduite d'une ligne de production",
            "le démarrage en sécurité d'une installation",
            'la démarche "qualité, sécurité, environnement"',
            "les améliorations d'un processus de fabrication",
        ),
        (
            ("I1304", "Installation et maintenance d'équipements industriels et d'exploitation"),
            ("H2913", "Soudage manuel"),
            ("H2903", "Conduite d'équipement d'usinage"),
            ("H2902", "Chaudronnerie - tôlerie"),
            ("H2912", "Réglage d'équipement de production industrielle"),
        ),
        (
            ("250", "Spécialités pluritechnologiques mécanique-électricité"),
            ("251", "Mécanique générale et de précision, usinage"),
            ("254", "Structures métalliques"),
            ("201", "Technologies de commandes des transformations industrielles"),
            ("250r", "Maintenance"),
        ),
        (("31815", "maintenance industrielle"), ("23654", "soudage"), ("23054", "usinage"), ("24354", "automatisme")),
    ),
    Sector(
        ("Conducteur", "Agent", "Préparateur", "Technicien supérieur", "Responsable", "Cariste"),
        (
            "du transport routier de marchandises",
            "de commandes en entrepôt",
            "magasinier",
            "en logistique",
            "du transport interurbain de voyageurs",
            "d'exploitation des transports",
            "d'entrepôt",
        ),
        (
            "Logistique et transport",
            "Gestion des transports et logistique associée",
            "Supply chain",
            "Management de la chaîne logistique",
        ),
        (
            "des opérations de préparation de commandes",
            "la réception et le stockage des marchandises",
            "un transport routier en sécurité",
            "l'exploitation d'une flotte de véhicules",
            "les flux logistiques d'un entrepôt",
            "les opérations douanières",
            "les engins de manutention",
        ),
        (
            ("N1103", "Magasinage et préparation de commandes"),
            ("N4101", "Conduite de transport de marchandises sur longue distance"),
            ("N1101", "Conduite d'engins de déplacement des charges"),
            ("N1301", "Conception et organisation de la chaîne logistique"),
            ("N4103", "Conduite de transport en commun sur route"),
        ),
        (
            ("311", "Transports, manutention, magasinage"),
            ("311t", "Transport, manutention, magasinage"),
            ("311p", "Organisation des transports"),
        ),
        (("31795", "logistique"), ("31812", "transport routier"), ("31814", "magasinage"), ("31734", "cariste")),
    ),
    Sector(
        ("Vendeur", "Manager", "Conseiller", "Gestionnaire", "Assistant", "Secrétaire", "Négociateur"),
        (
            "conseil en magasin",
            "d'unité marchande",
            "commercial",
            "de vente",
            "comptable et financier",
            "de direction",
            "technico-commercial",
            "en ressources humaines",
            "de paie",
        ),
        (
            "Management commercial opérationnel",
            "Gestion de la PME",
            "Comptabilité et gestion",
            "Commerce international",
            "Marketing",
            "Ressources humaines",
            "Droit des affaires",
            "Management des organisations",
        ),
        (
            "la vente en magasin",
            "la relation client à distance",
            "les opérations comptables courantes",
            "la paie et les déclarations sociales",
            "une équipe commerciale",
            "le développement d'un portefeuille clients",
            "les dossiers administratifs",
            "le budget prévisionnel d'une unité",
        ),
        (
            ("D1214", "Vente en habillement et accessoires de la personne"),
            ("D1106", "Vente en alimentation"),
            ("D1301", "Management de magasin de détail"),
            ("M1607", "Secrétariat"),
            ("M1203", "Comptabilité"),
            ("M1604", "Assistanat de direction"),
            ("M1501", "Assistanat en ressources humaines"),
        ),
        (
            ("312", "Commerce, vente"),
            ("312t", "Commerce, vente"),
            ("314", "Comptabilité, gestion"),
            ("324", "Secrétariat, bureautique"),
            ("315", "Ressources humaines, gestion du personnel, gestion de l'emploi"),
            ("310", "Spécialités plurivalentes des échanges et de la gestion"),
        ),
        (("34566", "vente"), ("32663", "comptabilité"), ("35054", "secrétariat"), ("33054", "ressources humaines")),
    ),
    Sector(
        ("Assistant", "Agent", "Conseiller", "Accompagnant", "Médiateur", "Encadrant"),
        (
            "de vie aux familles",
            "de services médico-social",
            "en insertion professionnelle",
            "éducatif et social",
            "social",
            "technique d'insertion",
            "d'accueil",
        ),
        (
            "Travail social",
            "Intervention sociale",
            "Santé",
            "Économie sociale familiale",
            "Services à la personne",
        ),
        (
            "l'accompagnement de la personne dans les actes de la vie quotidienne",
            "la garde d'enfants à domicile",
            "l'entretien du logement et du linge",
            "un parcours d'insertion",
            "l'accueil et l'information du public",
            "un projet d'animation collective",
            "la prévention des risques à domicile",
        ),
        (
            ("K1302", "Assistance auprès d'adultes"),
            ("K1304", "Services domestiques"),
            ("K1801", "Conseil en emploi et insertion socioprofessionnelle"),
            ("K1207", "Intervention socioéducative"),
            ("K1303", "Assistance auprès d'enfants"),
        ),
        (
            ("330t", "Spécialités plurivalentes des services aux personnes"),
            ("332", "Travail social"),
            ("332t", "Aide, conseil et accompagnement social"),
            ("331", "Santé"),
        ),
        (("44028", "aide à domicile"), ("44092", "insertion professionnelle"), ("44004", "petite enfance")),
    ),
    Sector(
        ("Agent", "Chef d'équipe", "Responsable", "Opérateur", "Technicien"),
        (
            "de propreté et d'hygiène",
            "en sécurité privée",
            "de prévention et de sécurité",
            "cynophile de sécurité",
            "de nettoyage industriel",
            "des services de sécurité incendie",
        ),
        (
            "Sécurité des biens et des personnes",
            "Hygiène, propreté, stérilisation",
            "Prévention des risques",
            "Gestion des risques et environnement",
        ),
        (
            "le nettoyage manuel des locaux",
            "le nettoyage mécanisé des surfaces",
            "la surveillance d'un site",
            "la prévention des incendies",
            "la gestion des déchets",
            "les premiers secours",
        ),
        (
            ("K2204", "Nettoyage de locaux"),
            ("K2503", "Sécurité et surveillance privées"),
            ("K2303", "Nettoyage des espaces urbains"),
        ),
        (
            ("343", "Nettoyage, assainissement, protection de l'environnement"),
            ("344", "Sécurité des biens et des personnes, police, surveillance"),
            ("344t", "Surveillance, sécurité"),
        ),
        (("42843", "propreté"), ("42866", "sécurité incendie"), ("42829", "surveillance")),
    ),
    Sector(
        ("Jardinier", "Ouvrier", "Agent", "Technicien", "Conducteur", "Responsable"),
        (
            "paysagiste",
            "du paysage",
            "agricole",
            "en production horticole",
            "d'engins agricoles",
            "d'exploitation agricole",
        ),
        (
            "Aménagements paysagers",
            "Production horticole",
            "Agronomie",
            "Gestion et protection de la nature",
            "Viticulture-œnologie",
        ),
        (
            "l'entretien des espaces verts",
            "les travaux de plantation",
            "la conduite d'engins agricoles",
            "une production végétale",
            "la gestion durable d'un espace naturel",
            "les soins aux animaux",
        ),
        (
            ("A1203", "Aménagement et entretien des espaces verts"),
            ("A1414", "Horticulture et maraîchage"),
            ("A1101", "Conduite d'engins agricoles et forestiers"),
            ("A1301", "Conseil et assistance technique en agriculture"),
        ),
        (
            ("214", "Aménagement paysager"),
            ("211", "Productions végétales, cultures spécialisées"),
            ("213", "Forêts, espaces naturels, faune sauvage, pêche"),
        ),
        (("21046", "espaces verts"), ("21054", "horticulture"), ("21024", "agriculture")),
    ),
    Sector(
        ("Mécanicien", "Technicien", "Carrossier", "Technicien expert", "Peintre", "Réparateur"),
        (
            "automobile",
            "de maintenance des véhicules",
            "après-vente automobile",
            "de véhicules industriels",
            "de cycles",
            "en carrosserie",
        ),
        ("Maintenance des véhicules", "Mécanique automobile", "Carrosserie", "Motocycles"),
        (
            "l'entretien périodique d'un véhicule",
            "le diagnostic d'un dysfonctionnement électrique",
            "la réparation des éléments de carrosserie",
            "la réception du client en atelier",
            "les systèmes de freinage et de liaison au sol",
        ),
        (
            ("I1604", "Mécanique automobile et entretien de véhicules"),
            ("I1606", "Réparation de carrosserie"),
            ("I1603", "Maintenance d'engins de chantier, levage, manutention et de machines agricoles"),
        ),
        (("252", "Moteurs et mécanique auto"), ("252r", "Maintenance automobile"), ("254s", "Carrosserie")),
        (("31854", "mécanique automobile"), ("31828", "carrosserie"), ("31866", "maintenance véhicule")),
    ),
    Sector(
        ("Formateur", "Chargé", "Concepteur", "Responsable", "Animateur"),
        ("professionnel d'adultes", "de communication", "de projet", "de formation", "multimédia", "éditorial"),
        (
            "Sciences de l'éducation",
            "Information et communication",
            "Métiers du livre",
            "Audiovisuel",
            "Langues étrangères appliquées",
        ),
        (
            "une action de formation",
            "un parcours de formation individualisé",
            "un plan de communication",
            "des contenus multimédias",
            "un événement",
            "la veille informationnelle",
        ),
        (
            ("K2111", "Formation professionnelle"),
            ("E1103", "Communication"),
            ("E1205", "Réalisation de contenus multimédias"),
            ("E1107", "Organisation d'évènementiel"),
        ),
        (
            ("333", "Enseignement, formation"),
            ("320", "Spécialités plurivalentes de la communication"),
            ("322", "Techniques de l'imprimerie et de l'édition"),
        ),
        (("44586", "formation formateur"), ("46354", "communication"), ("46327", "multimédia")),
    ),
)

VERBS = (
    "Réaliser",
    "Assurer",
    "Mettre en œuvre",
    "Organiser",
    "Préparer",
    "Gérer",
    "Contrôler",
    "Concevoir",
    "Exploiter",
    "Conduire",
    "Piloter",
    "Maintenir",
    "Optimiser",
    "Sécuriser",
)
BLOCK_ENDINGS = (
    " en sécurité",
    " dans le respect de la réglementation",
    " en autonomie",
    " au sein d'une équipe",
    " en tenant compte des enjeux du développement durable",
)
ACCESS = (
    "Après un parcours de formation sous statut d'élève ou d'étudiant",
    "En contrat d'apprentissage",
    "Après un parcours de formation continue",
    "En contrat de professionnalisation",
    "Par candidature individuelle",
    "Par expérience",
)
CCN = (
    ("1486", "Convention collective nationale des bureaux d'études techniques, cabinets d'ingénieurs-conseils"),
    ("1979", "Convention collective nationale des hôtels, cafés, restaurants (HCR)"),
    ("1597", "Convention collective nationale des ouvriers du bâtiment (entreprises de plus de 10 salariés)"),
    ("3248", "Convention collective nationale de la métallurgie"),
    ("0016", "Convention collective nationale des transports routiers et activités auxiliaires du transport"),
    ("2216", "Convention collective nationale du commerce de détail et de gros à prédominance alimentaire"),
    ("3127", "Convention collective nationale des entreprises de services à la personne"),
    ("3043", "Convention collective nationale des entreprises de propreté et services associés"),
)
CITIES = (
    ("PARIS", "Paris"),
    ("LYON", "Lyon"),
    ("MARSEILLE", "Marseille"),
    ("TOULOUSE", "Toulouse"),
    ("BORDEAUX", "Bordeaux"),
    ("LILLE", "Lille"),
    ("NANTES", "Nantes"),
    ("STRASBOURG", "Strasbourg"),
    ("MONTPELLIER", "Montpellier"),
    ("RENNES", "Rennes"),
    ("GRENOBLE", "Grenoble"),
    ("ROUEN", "Rouen"),
    ("DIJON", "Dijon"),
    ("CAEN", "Caen"),
    ("NANCY", "Nancy"),
    ("ANGERS", "Angers"),
    ("TOURS", "Tours"),
    ("BREST", "Brest"),
    ("LIMOGES", "Limoges"),
    ("POITIERS", "Poitiers"),
    ("CLERMONT-FERRAND", "Clermont-Ferrand"),
    ("AMIENS", "Amiens"),
    ("REIMS", "Reims"),
    ("PAU", "Pau"),
    ("ORLEANS", "Orléans"),
    ("BESANCON", "Besançon"),
    ("NICE", "Nice"),
    ("LA ROCHELLE", "La Rochelle"),
)
# Other ministries: none of their names has the words of the ministry of Labour ("travail", "emploi").
EDUCATION = "MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE"
HIGHER_EDUCATION = "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE"
STATE_DIPLOMAS = (
    "MINISTERE DE LA SANTE ET DE LA PREVENTION",
    "MINISTERE DES SOLIDARITES ET DES FAMILLES",
    "MINISTERE DES SPORTS ET DES JEUX OLYMPIQUES ET PARALYMPIQUES",
    "MINISTERE DE LA CULTURE",
    "MINISTERE DE L'AGRICULTURE ET DE LA SOUVERAINETE ALIMENTAIRE",
)
BRANCHES = (
    "COMMISSION PARITAIRE NATIONALE DE L'EMPLOI DE LA METALLURGIE",
    "CPNEFP DE LA PROPRETE ET DES SERVICES ASSOCIES",
    "CPNE DE L'INDUSTRIE HOTELIERE",
    "ASSOCIATION NATIONALE POUR LA FORMATION AUTOMOBILE",
    "CPNE DES INDUSTRIES CHIMIQUES",
    "CPNEF DU TRANSPORT ROUTIER ET DES ACTIVITES AUXILIAIRES",
    "CPNEFP DE LA BRANCHE DES SERVICES A LA PERSONNE",
)
# The other certifiers' kinds of fiche: Abrege_Libelle, Abrege_Intitule, weight, levels, "de droit", the label's
# pattern, the certifier's kind.
KINDS = (
    ("TITRE", "Titre", 30, (3, 4, 5, 6, 7), False, "{job}", "private"),
    ("MASTER", "Master", 14, (7,), True, "Master {field}", "university"),
    ("LP", "Licence Professionnelle", 12, (6,), True, "Licence Professionnelle - {field}", "university"),
    (
        "TITRE ING",
        "Titre ingénieur",
        8,
        (7,),
        True,
        "Titre ingénieur - Ingénieur diplômé de {school}, spécialité {lower_field}",
        "engineering",
    ),
    ("CQP", "Certificat de qualification professionnelle", 8, (3, 4, 5), False, "CQP {job}", "branch"),
    ("BTS", "Brevet de technicien supérieur", 6, (5,), True, "BTS - {field}", "education"),
    ("DE", "Diplôme d'État", 4, (3, 4, 5, 6, 7), True, "DE - {job}", "state"),
    ("CAP", "Certificat d'aptitude professionnelle", 4, (3,), True, "CAP - {job}", "education"),
    ("BAC PRO", "Baccalauréat professionnel", 4, (4,), True, "Bac pro - {field}", "education"),
    ("BUT", "Bachelor universitaire de technologie", 3, (6,), True, "BUT - {field}", "university"),
    ("BP", "Brevet professionnel", 2, (4,), True, "BP - {job}", "education"),
    ("DIPL VISE", "Diplôme visé", 2, (6, 7), True, "Diplôme visé - {field}", "business"),
    (
        "DEUST",
        "Diplôme d'études universitaires scientifiques et techniques",
        1,
        (5,),
        True,
        "DEUST - {field}",
        "university",
    ),
    ("MC", "Mention complémentaire", 1, (3, 4), True, "MC - {job}", "education"),
    ("DOCTORAT", "Doctorat", 1, (8,), True, "Doctorat {field}", "university"),
)
KIND_WEIGHTS = [kind[2] for kind in KINDS]

STANDARD = (
    "Id_Fiche",
    "Numero_Fiche",
    "Intitule",
    "Abrege_Libelle",
    "Abrege_Intitule",
    "Nomenclature_Europe_Niveau",
    "Nomenclature_Europe_Intitule",
    "Accessible_Nouvelle_Caledonie",
    "Accessible_Polynesie_Francaise",
    "Date_dernier_jo",
    "Date_Decision",
    "Date_Fin_Enregistrement",
    "Date_Effet",
    "Type_Enregistrement",
    "Validation_Partielle",
    "Actif",
)
HEADERS = {
    "Standard": STANDARD,
    "Rome": ("Numero_Fiche", "Codes_Rome_Code", "Codes_Rome_Libelle"),
    "Nsf": ("Numero_Fiche", "Nsf_Code", "Nsf_Intitule"),
    "Certificateurs": ("Numero_Fiche", "Siret_Certificateur", "Nom_Certificateur"),
    "Blocs_De_Compétences": ("Numero_Fiche", "Bloc_Competences_Code", "Bloc_Competences_Libelle"),
    "Ancienne_Nouvelle_Certification": ("Numero_Fiche", "Ancienne_Certification", "Nouvelle_Certification"),
    "Voies_d_accès": ("Numero_Fiche", "Si_Jury"),
    "Partenaires": ("Numero_Fiche", "Nom_Partenaire", "Siret_Partenaire", "Habilitation_Partenaire"),
    "CCN": (
        "Numero_Fiche",
        "Ccn_1_Numero",
        "Ccn_1_Libelle",
        "Ccn_2_Numero",
        "Ccn_2_Libelle",
        "Ccn_3_Numero",
        "Ccn_3_Libelle",
    ),
    "Formacode": ("Numero_Fiche", "Formacode_Code", "Formacode_Libelle"),
}


@dataclass(frozen=True)
class Body:
    """A certifier or a partner: its SIRET, its name as the export writes it, and as a label says it."""

    siret: str
    name: str
    label: str = ""


@dataclass
class Fiche:
    label: str
    abbreviation: str
    abbreviation_label: str
    level: int
    by_right: bool
    decision: date
    effect: date | None
    last_jo: date | None
    end: date | None
    active: bool
    sector: Sector
    certifiers: list[Body]
    blocks: list[str]
    ministry: bool
    number: str = ""
    ident: int = 0
    newer: Fiche | None = None  # the next version of its certification, if any


@dataclass
class Export:
    path: Path
    seconds: float
    fiches: int
    ministry_titles: int
    ministry_fiches: int
    ministry_active: int
    ministry_blocks: int
    blocks: int
    links: int
    rows: dict[str, int] = field(default_factory=dict)
    uncompressed: int = 0


def siret(rng: random.Random, prefix: str) -> str:
    """A SIRET of 14 digits starting with ``prefix``, its last digit the Luhn key, as real ones."""
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(13 - len(prefix)))
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def bodies(rng: random.Random) -> dict[str, list[Body]]:
    """The other certifiers, by kind, and the training bodies named as partners."""
    private = []
    for _ in range(220):
        if rng.random() < 0.5:
            name = " ".join(
                (
                    rng.choice(("INSTITUT", "ECOLE", "CENTRE", "ACADEMIE", "GROUPE")),
                    rng.choice(("SUPERIEUR", "EUROPEEN", "NATIONAL", "INTERNATIONAL", "PROFESSIONNEL")),
                    rng.choice(("DES METIERS", "DE FORMATION", "DU NUMERIQUE", "DE MANAGEMENT", "DES ARTS APPLIQUES")),
                )
            )
            if rng.random() < 0.5:
                name += f" DE {rng.choice(CITIES)[0]}"
        else:
            acronym = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUV") for _ in range(rng.randint(3, 5)))
            name = f"{acronym} {rng.choice(('FORMATION', 'SAS', 'CONSEIL', 'ACADEMY', 'SARL'))}"
        private.append(Body(siret(rng, str(rng.randint(3, 9))), name))
    return {
        "private": private,
        "university": [Body(siret(rng, "19"), f"UNIVERSITE DE {city}") for city, _label in CITIES],
        "engineering": [
            Body(siret(rng, "19"), f"{upper} {city}", f"{label} {town}")
            for city, town in CITIES[:16]
            for upper, label in (
                ("INSTITUT NATIONAL DES SCIENCES APPLIQUEES DE", "l'Institut national des sciences appliquées de"),
                ("ECOLE NATIONALE SUPERIEURE D'INGENIEURS DE", "l'École nationale supérieure d'ingénieurs de"),
            )
        ],
        "business": [Body(siret(rng, "77"), f"ECOLE SUPERIEURE DE COMMERCE DE {city}") for city, _ in CITIES[:12]],
        "branch": [Body(siret(rng, "78"), name) for name in BRANCHES],
        "state": [Body(siret(rng, "110"), name) for name in STATE_DIPLOMAS],
        "education": [Body(siret(rng, "110"), EDUCATION)],
        "higher": [Body(siret(rng, "110"), HIGHER_EDUCATION)],
    }


def job(rng: random.Random, sector: Sector) -> str:
    return f"{rng.choice(sector.heads)} {rng.choice(sector.complements)}"


def blocks(rng: random.Random, sector: Sector, weights: Sequence[int]) -> list[str]:
    count = rng.choices((2, 3, 4, 5), weights)[0]
    labels = []
    for target in rng.sample(sector.objects, min(count, len(sector.objects))):
        label = f"{rng.choice(VERBS)} {target}"
        if rng.random() < 0.3:
            label += rng.choice(BLOCK_ENDINGS)
        labels.append(label)
    return labels


def days(start: date, low: int, high: int, rng: random.Random) -> date:
    return start + timedelta(days=rng.randint(low, high))


def versions(rng: random.Random, count: int, newest: date, newest_end: date | None) -> list[tuple[date, date | None]]:
    """The decision and end dates of a certification's ``count`` versions, oldest first: each older version's
    registration ends around the next one's start, before the export's day."""
    dates: list[tuple[date, date | None]] = [(newest, newest_end)]
    for _ in range(count - 1):
        following = dates[0][0]
        end = min(days(following, 20, 365, rng), days(DAY, -90, -1, rng))
        decision = days(end, -5 * 365 - 30, -3 * 365, rng)
        dates.insert(0, (decision, end))
    return dates


def ministry_name(rng: random.Random, decision: date) -> str:
    if rng.random() < 0.3:
        return MINISTRY_NAMES[0][1]
    return next(name for since, name in MINISTRY_NAMES if decision >= since)


def make_fiche(
    rng: random.Random,
    *,
    label: str,
    abbreviation: tuple[str, str],
    level: int,
    by_right: bool,
    decision: date,
    end: date | None,
    newest: bool,
    sector: Sector,
    certifiers: list[Body],
    block_labels: list[str],
    ministry: bool,
) -> Fiche:
    old = decision < date(2012, 1, 1)
    return Fiche(
        label=label,
        abbreviation=abbreviation[0],
        abbreviation_label=abbreviation[1],
        level=level,
        by_right=by_right,
        decision=decision,
        effect=None if old and rng.random() < 0.1 else days(decision, 0, 45, rng),
        last_jo=None if old and rng.random() < 0.2 else days(decision, 5, 40, rng),
        end=end,
        active=newest and (end is None or end > DAY),
        sector=sector,
        certifiers=certifiers,
        blocks=block_labels,
        ministry=ministry,
    )


def builtin_numbers() -> set[int]:
    """The RNCP numbers of the built-in titles, which the generated fiches leave alone."""
    numbers: set[int] = set()
    for path in (ROOT / "src" / "titrepro" / "catalogue" / "titles").glob("*.yaml"):
        numbers.update(int(n) for n in re.findall(r"RNCP(\d{3,6})", path.read_text(encoding="utf-8")))
    return numbers


def certifications(rng: random.Random, total: int) -> list[list[Fiche]]:
    """The certifications, each the list of its versions (oldest first): the ministry's titres professionnels,
    then the other certifiers', ``total`` fiches in all."""
    chains: list[list[Fiche]] = []
    titles = min(MINISTRY_TITLES, total // 4)
    labels = sorted({job(rng, sector) for sector in SECTORS for _ in range(80)})
    rng.shuffle(labels)
    sectors = {f"{h} {c}": s for s in SECTORS for h in s.heads for c in s.complements}
    left = total
    for label in labels[:titles]:
        count = min(rng.choices((1, 2, 3), (15, 40, 45))[0], left)
        if count == 0:
            break
        sector = sectors[label]
        level = rng.choices((3, 4, 5, 6), (45, 25, 22, 8))[0]
        newest = days(DAY, -5 * 365 + 30, -60, rng)
        chain = []
        for index, (decision, end) in enumerate(versions(rng, count, newest, days(newest, 5 * 365, 5 * 365 + 2, rng))):
            chain.append(
                make_fiche(
                    rng,
                    label=label if rng.random() < 0.85 or index == count - 1 else job(rng, sector),
                    abbreviation=("TP", "Titre professionnel"),
                    level=level,
                    by_right=True,
                    decision=decision,
                    end=end,
                    newest=index == count - 1,
                    sector=sector,
                    certifiers=[Body(MINISTRY_SIRET, ministry_name(rng, decision))],
                    block_labels=blocks(rng, sector, (30, 40, 20, 10)),
                    ministry=True,
                )
            )
        chains.append(chain)
        left -= count
    pools = bodies(rng)
    while left > 0:
        count = min(rng.choices((1, 2), (85, 15))[0], left)
        sector = rng.choice(SECTORS)
        abbreviation, abbreviation_label, _weight, levels, by_right, pattern, kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        certifiers = [rng.choice(pools[kind])]
        if kind == "university" and rng.random() < 0.3:
            certifiers += rng.sample(pools["university"], rng.randint(1, 2))
        elif abbreviation == "BTS" and rng.random() < 0.5:
            certifiers += pools["higher"]
        elif kind == "private" and rng.random() < 0.1:
            certifiers.append(rng.choice(pools["business"]))
        certifiers = list(dict.fromkeys(certifiers))
        domain = rng.choice(sector.fields)
        label = pattern.format(
            job=job(rng, sector),
            field=domain,
            lower_field=domain[0].lower() + domain[1:],
            school=certifiers[0].label,
        )
        level = rng.choice(levels)
        newest = days(DAY, -18 * 365, -30, rng)
        newest_end = None if by_right and rng.random() < 0.03 else days(newest, 2 * 365, 5 * 365, rng)
        chain = [
            make_fiche(
                rng,
                label=label,
                abbreviation=(abbreviation, abbreviation_label),
                level=level,
                by_right=by_right,
                decision=decision,
                end=end,
                newest=index == count - 1,
                sector=sector,
                certifiers=certifiers,
                block_labels=blocks(rng, sector, (25, 25, 25, 25)),
                ministry=False,
            )
            for index, (decision, end) in enumerate(versions(rng, count, newest, newest_end))
        ]
        chains.append(chain)
        left -= count
    for chain in chains:
        for older, newer in itertools.pairwise(chain):
            older.newer = newer
    return chains


def french(day: date | None) -> str:
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def generate(folder: Path, total: int, seed: int) -> Export:
    """Write the export ZIP of ``total`` fiches in ``folder``."""
    started = time.perf_counter()
    rng = random.Random(seed)
    chains = certifications(rng, total)
    fiches = sorted((f for chain in chains for f in chain), key=lambda f: (f.decision, rng.random()))
    # Numbers grow with time, as the register's: sampled in a span twice the fiches, the built-in ones left out.
    span = max(39_000, 2 * len(fiches))
    taken = builtin_numbers()
    numbers = sorted(n for n in rng.sample(range(1_000, 1_000 + span), len(fiches) + len(taken)) if n not in taken)
    idents = sorted(rng.sample(range(1, 3 * len(fiches) + 1), len(fiches)))
    for fiche, number, ident in zip(fiches, numbers, idents, strict=False):
        fiche.number, fiche.ident = f"RNCP{number}", ident

    rows: dict[str, list[tuple[str, ...]]] = {stem: [] for stem in HEADERS}
    partners = bodies(rng)["private"]
    links = 0
    for fiche in fiches:
        n, sector = fiche.number, fiche.sector
        rows["Standard"].append(
            (
                str(fiche.ident),
                n,
                fiche.label,
                fiche.abbreviation,
                fiche.abbreviation_label,
                f"NIV{fiche.level}",
                f"Niveau {fiche.level}",
                "Oui" if rng.random() < 0.05 else "Non",
                "Oui" if rng.random() < 0.05 else "Non",
                french(fiche.last_jo),
                french(fiche.decision),
                french(fiche.end),
                french(fiche.effect),
                "Enregistrement de droit" if fiche.by_right else "Enregistrement sur demande",
                "Oui" if fiche.blocks else "Non",
                "ACTIVE" if fiche.active else "INACTIVE",
            )
        )
        rows["Rome"] += [(n, code, label) for code, label in rng.sample(sector.rome, rng.randint(1, 3))]
        rows["Nsf"] += [(n, code, label) for code, label in rng.sample(sector.nsf, rng.choice((1, 1, 2)))]
        rows["Certificateurs"] += [(n, body.siret, body.name) for body in fiche.certifiers]
        rows["Blocs_De_Compétences"] += [(n, f"{n}BC{i:02d}", label) for i, label in enumerate(fiche.blocks, 1)]
        if fiche.newer is not None:  # one row per link, on either fiche
            links += 1
            if rng.random() < 0.5:
                rows["Ancienne_Nouvelle_Certification"].append((fiche.newer.number, n, ""))
            else:
                rows["Ancienne_Nouvelle_Certification"].append((n, "", fiche.newer.number))
        rows["Voies_d_accès"] += [(n, route) for route in rng.sample(ACCESS, rng.randint(2, 5))]
        if fiche.abbreviation in ("TITRE", "CQP", "TITRE ING", "DIPL VISE") and rng.random() < 0.6:
            for body in rng.sample(partners, rng.randint(1, 4)):
                habilitation = rng.choice(("HABILITATION_ORGA_FORM", "HABILITATION_FORMER_EVALUER"))
                rows["Partenaires"].append((n, body.name, body.siret, habilitation))
        if rng.random() < 0.25:
            chosen = rng.sample(CCN, rng.randint(1, 3))
            cells = [cell for pair in chosen for cell in pair] + [""] * (6 - 2 * len(chosen))
            rows["CCN"].append((n, *cells))
        rows["Formacode"] += [(n, code, label) for code, label in rng.sample(sector.formacode, rng.randint(1, 3))]

    path = folder / ZIP_NAME
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for stem, header in HEADERS.items():
            member = f"export_fiches_CSV_{stem}_{STAMP}.csv"
            info = zipfile.ZipInfo(member, date_time=(DAY.year, DAY.month, DAY.day, 3, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # utf-8-sig: the byte-order mark before the header line, as in the real export.
            with io.TextIOWrapper(archive.open(info, "w"), encoding="utf-8-sig", newline="") as text:
                writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL)
                writer.writerow(header)
                writer.writerows(rows[stem])
        uncompressed = sum(info.file_size for info in archive.infolist())
    ministry = [f for f in fiches if f.ministry]
    return Export(
        path=path,
        seconds=time.perf_counter() - started,
        fiches=len(fiches),
        ministry_titles=sum(1 for chain in chains if chain[0].ministry),
        ministry_fiches=len(ministry),
        ministry_active=sum(1 for f in ministry if f.active),
        ministry_blocks=sum(len(f.blocks) for f in ministry),
        blocks=len(rows["Blocs_De_Compétences"]),
        links=links,
        rows={stem: len(lines) for stem, lines in rows.items()},
        uncompressed=uncompressed,
    )


def describe(export: Export) -> None:
    size = export.path.stat().st_size
    print(f"export: {export.path} ({size / 1e6:.1f} MB, {export.uncompressed / 1e6:.1f} MB of CSV once unzipped)")
    print(f"  generated in {export.seconds:.1f} s")
    print(
        f"  {export.fiches:,} fiches; the ministry's: {export.ministry_fiches} fiches of {export.ministry_titles}"
        f" titres professionnels ({export.ministry_active} active), {export.ministry_blocks} blocks;"
        f" {export.blocks:,} blocks and {export.links:,} ancienne/nouvelle links in all"
    )
    print("  rows: " + ", ".join(f"{stem} {count:,}" for stem, count in export.rows.items()))


# The import ----------------------------------------------------------------------------------------------------------


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///path`` URL names (four slashes for an absolute path, as dj-database-url reads it)."""
    parts = urlsplit(url)
    if parts.scheme != "sqlite":
        return None
    return Path(parts.path[1:]).resolve()


def database(url: str, action: str) -> str:
    """Create (a leftover one dropped first) or drop the run's database; the URL the processes are given."""
    path = sqlite_file(url)
    if path is None:
        server(url, action)  # PostgreSQL; refuses a name without "bench"
        return url
    if "bench" not in path.name:
        sys.exit(f"--database must name a file with 'bench' in its name, not {url!r}")
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def titrepro() -> list[str]:
    script = ROOT / ".venv" / "bin" / "titrepro"
    return [str(script)] if script.exists() else [sys.executable, "-m", "titrepro"]


def tail(text: str, lines: int = 25) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-lines:])


def step(arguments: list[str], environment: dict[str, str]) -> str:
    """Run ``titrepro ARGUMENTS`` (not timed); its output, or stop the bench with it."""
    result = subprocess.run(  # noqa: S603
        [*titrepro(), *arguments],
        env=environment,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(
            f"`titrepro {' '.join(arguments)}` failed (exit code {result.returncode}):\n"
            f"{tail(result.stderr or result.stdout)}"
        )
    return result.stdout


COUNT = (
    "from titrepro.catalogue.models import CCP, Title, TitleVersion; "
    "print(Title.objects.count(), TitleVersion.objects.count(), CCP.objects.count())"
)


def catalogue(environment: dict[str, str]) -> tuple[int, int, int] | None:
    """The catalogue's titles, versions and CCPs (None if they could not be counted)."""
    result = subprocess.run(  # noqa: S603
        [*titrepro(), "shell", "--no-imports", "-c", COUNT],
        env=environment,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    words = result.stdout.split()[-3:]
    if result.returncode != 0 or len(words) != 3 or not all(word.isdigit() for word in words):
        return None
    return int(words[0]), int(words[1]), int(words[2])


def sizes(counts: tuple[int, int, int] | None) -> str:
    if counts is None:
        return "(could not be counted)"
    return f"{counts[0]:,} titles, {counts[1]:,} versions, {counts[2]:,} CCPs"


def check(export: Export, before: tuple[int, int, int] | None, after: tuple[int, int, int] | None) -> bool:
    """The import added what the export holds: a title per titre professionnel (none of them is built in), a
    version per fiche of the ministry and a CCP per block (every one has blocks, none a CCS); says how."""
    expected = (export.ministry_titles, export.ministry_fiches, export.ministry_blocks)
    if before is None or after is None:
        print("counts: NOT checked (the catalogue could not be counted)")
        return False
    added = tuple(a - b for a, b in zip(after, before, strict=True))
    if added == expected:
        print(f"counts: as expected ({expected[0]} titles, {expected[1]} versions, {expected[2]} CCPs added)")
        return True
    print(
        f"counts: NOT as expected: added {added[0]} titles, {added[1]} versions, {added[2]} CCPs;"
        f" expected {expected[0]}, {expected[1]}, {expected[2]}"
    )
    return False


def timed_import(
    export: Path, environment: dict[str, str], folder: Path, profile: Path | None
) -> tuple[float, int, str, Path]:
    """Run ``titrepro catalogue import-rncp EXPORT`` (under cProfile, writing ``profile``, if given): its wall
    time, its peak resident set (kB), its output and the file that keeps it; stop the bench with its output if it
    fails."""
    program = titrepro()
    if profile is not None:
        program = [sys.executable, "-m", "cProfile", "-o", str(profile.resolve()), "-m", "titrepro"]
    command = [*program, "catalogue", "import-rncp", str(export)]
    out, err = folder / "import-rncp.out", folder / "import-rncp.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603
            command, env=environment, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr
        )
        _pid, status, usage = os.wait4(process.pid, 0)  # this process's own rusage, not the other children's
        elapsed = time.perf_counter() - started
    process.returncode = code = os.waitstatus_to_exitcode(status)
    output = out.read_text(errors="replace")
    errors = err.read_text(errors="replace")
    if code != 0:
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        hint = ""
        if "invalid choice: 'import-rncp'" in errors:
            hint = "\n(this titrepro has no `catalogue import-rncp` command yet)"
        sys.exit(
            f"`titrepro catalogue import-rncp {export.name}` failed ({how}) after {elapsed:.1f} s:\n"
            f"{tail(errors or output)}{hint}"
        )
    return elapsed, usage.ru_maxrss, output, out  # ru_maxrss: kilobytes on Linux


def printed(output: str, kept: Path | None) -> str:
    """The command's first line (the export's counts) and last one (the rows written), indented; the report's
    lines in between, one per change, are only counted (and found in ``kept``, with ``--keep``)."""
    lines = output.rstrip().splitlines()
    if len(lines) <= 2:
        return tail(output)
    where = f", in {kept}" if kept is not None else ""
    return f"    {lines[0]}\n    … {len(lines) - 2:,} lines of report{where}\n    {lines[-1]}"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fiches", type=int, default=20_000, help="fiches in the export, all certifiers")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK_FICHES:,} fiches")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (the same seed, the same export)")
    parser.add_argument(
        "--database",
        default="postgres://postgres@127.0.0.1:5432/titrepro_bench_rncp",
        help="the run's database, PostgreSQL or sqlite:///path (its name must contain 'bench')",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    parser.add_argument("--export-only", metavar="DIR", type=Path, help="only write the export ZIP in DIR")
    parser.add_argument(
        "--profile", metavar="FILE", type=Path, help="run the import under cProfile, its statistics in FILE (slower)"
    )
    parsed = parser.parse_args()
    if parsed.quick:
        parsed.fiches = QUICK_FICHES
    if parsed.fiches < 10:
        parser.error("--fiches must be at least 10")
    return parsed


def main() -> None:
    args = arguments()
    if args.export_only is not None:
        args.export_only.mkdir(parents=True, exist_ok=True)
        describe(generate(args.export_only, args.fiches, args.seed))
        return

    url = database(args.database, "create")
    folder = Path(tempfile.mkdtemp(prefix="titrepro-bench-rncp-"))
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "titrepro.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "TITREPRO_DEBUG": "0",  # as in production: no query log kept in memory
        "TITREPRO_DATA_DIR": str(folder),
        "TITREPRO_KEYS_DIR": str(folder / "keys"),
        "TITREPRO_MEDIA_DIR": str(folder / "media"),
        "TITREPRO_AUDIT_CHECKPOINT_FILE": str(folder / "audit-checkpoints.jsonl"),
        # Bytecode compiled once, by the untimed steps, into the run's folder (never into the project's tree).
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
    }
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    ok = False
    try:
        export = generate(folder, args.fiches, args.seed)
        describe(export)
        started = time.perf_counter()
        step(["migrate", "--verbosity", "0"], environment)
        step(["catalogue", "load", "--builtin"], environment)
        before = catalogue(environment)
        print(f"database: {'SQLite' if url.startswith('sqlite') else 'PostgreSQL'} (created for the run)")
        print(
            f"setup (migrate, catalogue load --builtin): {time.perf_counter() - started:.1f} s; {os.cpu_count()} cores"
        )

        elapsed, peak, output, kept = timed_import(export.path, environment, folder, args.profile)
        profiled = f", under cProfile: statistics in {args.profile}" if args.profile else ""
        print(
            f"import: {elapsed:.1f} s wall time (titrepro catalogue import-rncp, its process start to exit{profiled})"
        )
        print(
            f"  {export.fiches / elapsed:,.0f} fiches read/s; {export.ministry_fiches / elapsed:,.0f} ministry fiches/s"
        )
        print(f"peak memory of the import process (maximum resident set): {peak / 1024:.0f} MB")
        if output.strip():
            print("the command printed:\n" + printed(output, kept if args.keep else None))
        after = catalogue(environment)
        print(f"catalogue before the import: {sizes(before)}; after: {sizes(after)}")
        ok = check(export, before, after)
        print(f"aim (under {AIM_SECONDS} s): {'met' if elapsed < AIM_SECONDS else 'not met'}")
    finally:
        if args.keep:
            print(f"kept: {url} and {folder}")
        else:
            database(args.database, "drop")
            shutil.rmtree(folder, ignore_errors=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
