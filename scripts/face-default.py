#!/usr/bin/env python3
"""Writes meshes/face/geometry.yaml, the geometry of the default bilateral facial arterial network of
havoc with provisional outlets; havoc calibrate fits the outlets and writes meshes/face/default.yaml.

    scripts/face-default.py [OUTPUT]        (default: meshes/face/geometry.yaml)

One hemiface is described below (left side, x > 0); the right side is its mirror image (x -> -x,
suffix _l -> _r), and three midline arcades join the two. The script also
  - checks that no vessel is shorter than the straight line between its end nodes (so that the
    network can be drawn along the anatomical course),
  - sizes the provisional three-element Windkessel of every terminal by Murray's law (docs/face.md),
  - applies the wall and friction rules of docs/face.md.
Edit the tables here and rerun; the YAML is the file havoc reads. Python 3 standard library only.

Sources are cited by short keys that docs/face.md expands; tags: [V] read in the cited source, [S]
a second source agrees, [M] quoted from a secondary source, not re-verified, [E] an estimate.
"""
import math
import os
import sys

# ---------------------------------------------------------------------------------------------
# Landmarks: (name, x, y, z [mm], note). Face frame: origin at the soft-tissue nasion, x towards the
# patient's left, y up, z anterior (out of the face). Bilateral landmarks are given for the left
# side (suffix _l); the right side is mirrored.
LANDMARKS_MID = [
    ("nasion", 0, 0, 0, "[def] origin of the frame: soft-tissue nasion"),
    ("glabella", 0, 14, 5, "[E] 12-16 mm above n, 4-6 mm in front of it in profile"),
    ("radix", 0, -8, 3, "[E] nasal dorsum at the level of the endocanthia"),
    ("rhinion", 0, -24, 13, "[E] end of the nasal bones, about half way from n to prn"),
    ("pronasale", 0, -42, 28, "[E] from n-prn 50 mm and sn-prn 19-20 mm (Farkas 1994 [M])"),
    ("subnasale", 0, -52, 12, "[E] from n-sn 51-55 mm (Farkas 1994 [M]; Korean 3D 47.6-51.0 [V])"),
    ("labrale_superius", 0, -65, 14, "[E] sn-ls 13-16 mm (Korean 3D [V])"),
    ("stomion", 0, -73, 9, "[E] sn-sto 20-22 mm (Farkas 1994 [M])"),
    ("labrale_inferius", 0, -82, 11, "[E] sto-li 9-14 mm (Korean 3D [V])"),
    ("pogonion", 0, -104, 6, "[E] most anterior point of the chin"),
    ("menton", 0, -117, -8, "[E] n-me 112-121 mm (Farkas 1994 [M]; Korean 3D 117 [V])"),
    ("trichion", 0, 62, -10, "[E] n-tr 62-72 mm (Korean 3D [V]); varies with the hairline"),
]
LANDMARKS_SIDE = [
    ("endocanthion", 16, -9, -12, "[E] en-en 32 mm (Farkas 1994 [M]; White 31.4+-2.5 in a 2022 pooled review [V])"),
    ("exocanthion", 45, -7, -28, "[E] ex-ex 90 mm (Farkas 1994 [M]); 2 mm above en"),
    ("supratrochlear_notch", 15, 3, -5, "[E] STrA exit ~12 mm above the medial canthus [M] (Khan 2017, Cotofana 2020, Cho 2019)"),
    ("supraorbital_notch", 26, 6, -5, "[E] 23.95+-3.93 mm from the midline in a Korean CT series [M]; up to ~32 mm"),
    ("infraorbital_foramen", 26, -32, -16, "[E] bony foramen, 7-10 mm below the orbital rim [M]"),
    ("alare", 17, -44, 12, "[E] al-al 34 mm (Farkas 1994 [M])"),
    ("alar_base", 14, -49, 5, "[E] alar crease at the base of the ala"),
    ("cheilion", 26, -73, -6, "[E] ch-ch 52 mm (Farkas 1994 [M]; Korean 3D 52-56 [V])"),
    ("mandibular_notch", 44, -96, -36, "[E] antegonial notch, where the facial artery crosses the mandible, 25.6 mm from the angle (Vietnamese CTA [V])"),
    ("gonion", 48, -88, -62, "[E] go-go 97 mm (Farkas 1994 [M]; Korean 3D 97-107 [V])"),
    ("tragus", 71, -22, -86, "[E] t-t 142-146 mm, t-n ~115 mm (Farkas 1994 [M])"),
    ("frontotemporale", 56, 30, -40, "[E] ft-ft 111-115 mm (Korean 3D [V])"),
    ("zygion", 67, -20, -62, "[E] zy-zy 130-137 mm (Farkas 1994 [M]; Korean 3D [V])"),
    ("globe", 31, -8, -28, "[E] centre of the eye, deep: interpupillary 62 mm, cornea 16 mm in front of the lateral rim [M]"),
    ("optic_disc", 28, -8, -40, "[E] deep: optic nerve head, back of a 24 mm globe, 3 mm nasal"),
    ("orbital_apex", 14, -12, -58, "[E] deep: orbital opening of the optic canal, 42-45 mm behind the rim [M]"),
    ("ica_ophthalmic", 12, -14, -72, "[E] deep: internal carotid at the origin of the ophthalmic artery"),
    ("pterygopalatine_fossa", 22, -28, -50, "[E] deep: third part of the maxillary artery, origin of the infraorbital"),
    ("eca_termination", 58, -40, -76, "[E] deep: external carotid ends behind the mandibular neck"),
    ("sta_bifurcation", 66, 2, -82, "[E] STA divides 17+-16 mm above the zygomatic arch (Koziej 2019 [V])"),
    ("carotid_bifurcation", 28, -125, -70, "[E] deep: C3-C4 level, 25-35 mm below the mandibular angle [M]"),
]

# ---------------------------------------------------------------------------------------------
# Nodes of the left side: key -> (number, position). A position is (x, y, z) or
# ("landmark", dx, dy, dz). Node ids: left 100 + number, right 200 + number.
NODES = {
    "cca_origin": (1, (24, -248, -50)),        # thoracic inlet, behind the sternoclavicular joint
    "bifurcation": (2, ("carotid_bifurcation", 0, 0, 0)),
    "ophthalmic_origin": (3, ("ica_ophthalmic", 0, 0, 0)),
    "ica_end": (4, (11, -6, -76)),               # ICA terminus, towards the circle of Willis
    "facial_origin": (5, ("carotid_bifurcation", 2, 18, 2)),  # ~19 mm above the bifurcation
    "eca_end": (6, ("eca_termination", 0, 0, 0)),
    "eca_other_end": (7, (45, -100, -85)),
    "mandible": (8, ("mandibular_notch", 0, 0, 0)),
    "submental_end": (9, (18, -108, -26)),
    "ila_origin": (10, ("cheilion", 4, -11, -4)),
    "ila_end": (11, ("labrale_inferius", 5, 0, -3)),
    "lower_lip_end": (12, (10, -86, 6)),
    "sla_origin": (13, ("cheilion", 1, 4, 2)),
    "sla_end": (14, ("labrale_superius", 5, 0, -3)),
    "upper_lip_end": (15, (10, -61, 8)),
    "columella": (16, (2, -50, 16)),
    "ala": (17, ("alar_base", 3, 4, 0)),       # origin of the lateral nasal and angular arteries
    "alar_end": (18, (17, -48, 10)),
    "lateral_tip": (19, (12, -43, 13)),
    "tip_end": (20, (4, -42, 25)),
    "sidewall": (21, (16, -31, -1)),           # mid-course of the angular artery
    "sidewall_end": (22, (12, -30, 5)),
    "medial_canthus": (23, ("endocanthion", -2, -8, 6)),
    "medial_canthus_end": (24, (12, -10, -8)),
    "dorsum": (25, (7, -18, 6)),               # DNA bilateral link 8.5 mm below the intercanthal line
    "dorsum_end": (26, (4, -27, 12)),
    "radix_end": (27, ("radix", 3, 0, 0)),
    "cra_origin": (28, (17, -12, -55)),
    "retina": (29, ("optic_disc", 0, 0, 0)),
    "choroid_end": (30, (33, -10, -44)),
    "soa_origin": (31, (18, -1, -32)),
    "orbit_end": (32, (34, -2, -30)),
    "orbit_exit": (33, (12, 5, -9)),           # OA terminal division above the medial canthus
    "glabella_junction": (34, (15, 20, -2)),
    "glabella_end": (35, (5, 14, 3)),
    "forehead_medial_end": (36, (14, 48, -6)),
    "forehead_junction": (37, (27, 22, -4)),   # SOA, lower third of the forehead
    "forehead_central_end": (38, (28, 44, -8)),
    "pterygopalatine": (39, ("pterygopalatine_fossa", 0, 0, 0)),
    "deep_face_end": (40, (20, -45, -60)),
    "infraorbital_exit": (41, ("infraorbital_foramen", 0, 0, 0)),
    "lower_eyelid_end": (42, (28, -20, -10)),
    "cheek_end": (43, (34, -42, -14)),
    "sta_division": (44, ("sta_bifurcation", 0, 0, 0)),
    "forehead_lateral_junction": (45, (44, 34, -22)),
    "forehead_lateral_end": (46, (36, 55, -18)),
    "temple_end": (47, (68, 55, -75)),
    "cervical_end": (48, (34, -118, -48)),     # submandibular gland
}

# ---------------------------------------------------------------------------------------------
# Vessels of the left side: (name, from, to, length, d_prox, d_dist, d_range, L_range, territory,
# source). Diameters are lumen diameters [mm], as the sources give them; the file gets radii.
# d_range/L_range None: no published range. territory: for terminal vessels. "points" (optional) in
# a dict in the last position draw a curved course.
V = []


def vessel(name, a, b, length, d_prox, d_dist, d_range=None, L_range=None, territory=None, source="", points=None, kind="small"):
    V.append(dict(name=name, a=a, b=b, length=length, d_prox=d_prox, d_dist=d_dist, d_range=d_range,
                  L_range=L_range, territory=territory, source=source, points=points or [], kind=kind))


# carotid
vessel("cca", "cca_origin", "bifurcation", 126, 6.0, 5.8, (5.3, 8.5), (94, 139), source="Boileau 2015 [V]; range Mynard 2015 [E]", kind="large")
vessel("ica", "bifurcation", "ophthalmic_origin", 178, 4.7, 4.5, (4.2, 5.2), (150, 200), source="Baz 2021 [V]; length Mynard 2015 [E]", kind="large",
       points=[(30, -90, -80), (27, -50, -86), (22, -30, -84), (17, -24, -70)])
vessel("ica_distal", "ophthalmic_origin", "ica_end", 10, 4.5, 4.5, (4.0, 5.0), (5, 15), "brain", "Baz 2021 [V/E]", kind="large")
vessel("eca", "bifurcation", "facial_origin", 19, 4.0, 3.8, (3.0, 6.1), (4.5, 48), source="Jiang 2008; Alastruey 2007 [V/E]", kind="large")
vessel("eca_2", "facial_origin", "eca_end", 80, 3.5, 3.0, (2.5, 4.9), (60, 100), source="lengths of Mynard 2015 [E]", kind="large",
       points=[(40, -80, -75)])
vessel("eca_other", "facial_origin", "eca_other_end", 40, 3.0, 2.8, None, None, "neck",
       "lumped lingual, thyroid, occipital, posterior auricular branches [E]", kind="medium")
# facial artery
vessel("facial_1", "facial_origin", "mandible", 50, 2.0, 1.5, (1.2, 2.8), (30, 70), source="Jiang 2008; Lee 2019 [E]",
       points=[(38, -116, -56)], kind="medium")
vessel("submental", "mandible", "submental_end", 36, 0.7, 0.5, (0.4, 1.3), (30, 41), "chin", "PMC11548982 (external diameter) [V/E]")
vessel("facial_cervical", "mandible", "cervical_end", 30, 1.2, 1.1, None, None, "submandibular",
       "lumped cervical branches of the facial artery: ascending palatine, tonsillar, glandular [E]")
vessel("facial_2", "mandible", "ila_origin", 33, 1.5, 1.3, (1.2, 2.0), (15, 35), source="Lee 2019 [V]; length estimate 25 raised to 33 to reach the lip [E]")
vessel("inferior_labial", "ila_origin", "ila_end", 31.5, 0.7, 0.5, (0.6, 1.3), (24, 39), source="Lee 2019; PMC11548982 [V]")
vessel("lower_lip", "ila_end", "lower_lip_end", 8, 0.5, 0.4, territory="lower_lip", source="labial bed of the ILA [E]")
vessel("facial_3", "ila_origin", "sla_origin", 25, 1.2, 1.0, (0.9, 1.5), (15, 35), source="Lee 2019 [V/E]")
vessel("superior_labial", "sla_origin", "sla_end", 27.3, 0.7, 0.5, (0.6, 1.6), (18, 37), source="Lee 2019; PMC11548982 [V]")
vessel("upper_lip", "sla_end", "upper_lip_end", 8, 0.5, 0.4, territory="upper_lip", source="labial bed of the SLA [E]")
vessel("columellar", "sla_end", "columella", 17, 0.4, 0.3, (0.2, 0.6), (10, 20), source="calibre not found; length estimate 15 raised to 17 [E]")
vessel("columellar_lateral_nasal", "columella", "lateral_tip", 13, 0.3, 0.3, (0.2, 0.4), (5, 15), source="Rohrich 1995 (crossover at the tip); length 10 raised to 13 [E]")
vessel("facial_4", "sla_origin", "ala", 30, 1.0, 0.8, (0.7, 1.4), (15, 35), source="Lee 2019; Davis 2021 [V]; length 25 raised to 30 [E]")
vessel("alar", "ala", "alar_end", 8, 0.4, 0.3, territory="ala", source="inferior alar branch [E]")
vessel("lateral_nasal", "ala", "lateral_tip", 10.6, 0.6, 0.4, (0.5, 0.9), (6, 15), source="Lee 2019; PMC11548982 [V]")
vessel("nasal_tip", "lateral_tip", "tip_end", 15, 0.3, 0.3, (0.2, 0.5), (10, 25), "nasal_tip", "tip plexus, lumped [E]")
vessel("angular", "ala", "sidewall", 15.5, 0.7, 0.6, (0.43, 1.0), (11, 19), source="PMC11548982 (29.7 mm in all); Davis 2021; lower half [V]")
vessel("angular_2", "sidewall", "medial_canthus", 15.5, 0.6, 0.5, (0.43, 1.0), (11, 19), source="PMC11548982; Davis 2021; upper half [V]")
vessel("nasal_sidewall", "sidewall", "sidewall_end", 8, 0.3, 0.3, territory="nasal_sidewall", source="sidewall bed of the AA [E]")
vessel("infraorbital_angular", "infraorbital_exit", "sidewall", 20, 0.3, 0.3, (0.2, 0.5), (10, 20), source="Hufschmidt 2019; length 15 raised to 20 [E]",
       points=[(22, -33, -8)])
vessel("angular_dorsal_nasal", "medial_canthus", "dorsum", 15, 0.5, 0.4, (0.2, 0.8), (5, 20), source="Kim 2014 (the link at the medial canthus); length 10 raised to 15 [E]")
vessel("medial_canthal", "medial_canthus", "medial_canthus_end", 8, 0.3, 0.3, territory="medial_canthus", source="medial canthal bed [E]")
vessel("dorsal_nasal", "orbit_exit", "dorsum", 28, 0.5, 0.4, (0.2, 1.2), (15, 30), source="Tansatit 2017; Choi 2018 [V]; length 20 raised to 28 [E]")
vessel("nasal_dorsum", "dorsum", "dorsum_end", 12, 0.3, 0.3, territory="nasal_dorsum", source="dorsal bed of the DNA [E]")
vessel("nasal_radix", "dorsum", "radix_end", 12, 0.3, 0.3, territory="radix", source="radix bed of the DNA [E]")
vessel("dorsal_lateral_nasal", "dorsum", "lateral_tip", 28, 0.3, 0.3, (0.2, 0.5), (10, 30), source="Tansatit 2017 (oblique nasal link); length 20 raised to 28 [E]")
# ophthalmic
vessel("ophthalmic_1", "ophthalmic_origin", "cra_origin", 20, 1.4, 1.3, (1.1, 1.7), (10, 30), source="Baz 2022; Kocabiyik 2009 [V]; length [E]")
vessel("central_retinal", "cra_origin", "retina", 20, 0.16, 0.16, (0.12, 0.20), (15, 25), "retina", "Dorner 2002; Kocabiyik 2009 [V/E]")
vessel("posterior_ciliary", "cra_origin", "choroid_end", 20, 0.5, 0.4, (0.3, 0.7), (10, 20), "choroid", "calibre not found; length 15 raised to 20 [E]")
vessel("ophthalmic_2", "cra_origin", "soa_origin", 28, 1.2, 1.1, (0.8, 1.5), (15, 35), source="Li 2023 [V/E]; length 25 raised to 28 [E]")
vessel("orbital_branches", "soa_origin", "orbit_end", 20, 0.9, 0.8, territory="orbit", source="lacrimal, muscular, ethmoidal branches lumped [E]")
vessel("supraorbital", "soa_origin", "forehead_junction", 45, 0.8, 0.7, (0.6, 1.0), (35, 60), source="Shen 2022; Cotofana 2020 [V/E]",
       points=[("supraorbital_notch",)])
vessel("supraorbital_2", "forehead_junction", "forehead_central_end", 24, 0.7, 0.6, (0.6, 1.0), (15, 35), "forehead_central",
       "SOA above the lower third of the forehead [E]")
vessel("ophthalmic_3", "soa_origin", "orbit_exit", 25, 1.0, 0.9, (0.5, 1.2), (10, 30), source="Li 2023; length 20 raised to 25 [E]")
vessel("supratrochlear", "orbit_exit", "glabella_junction", 20, 0.9, 0.8, (0.6, 1.44), (16, 24), source="Khan 2017; Shen 2022; first 20 of 50 mm [V]",
       points=[("supratrochlear_notch",)])
vessel("supratrochlear_2", "glabella_junction", "forehead_medial_end", 30, 0.8, 0.7, (0.6, 1.44), (24, 36), "forehead_medial",
       "Khan 2017; last 30 of 50 mm [V]")
vessel("glabellar", "glabella_junction", "glabella_end", 14, 0.4, 0.3, territory="glabella", source="glabellar branches of the STrA [E]")
vessel("supratrochlear_supraorbital", "glabella_junction", "forehead_junction", 20, 0.3, 0.3, (0.2, 0.5), (10, 30), source="Cai 2009 [E]")
vessel("supraorbital_frontal", "forehead_junction", "forehead_lateral_junction", 30, 0.3, 0.3, (0.2, 0.5), (20, 40), source="Scheuer 2017 [E]")
# superficial temporal and maxillary
vessel("sta", "eca_end", "sta_division", 45, 2.5, 2.2, (1.9, 3.9), (20, 61), source="Koziej 2019; Mynard 2015 [E]", kind="medium")
vessel("frontal_branch", "sta_division", "forehead_lateral_junction", 75, 1.0, 0.85, (0.65, 1.8), (45, 90), source="Koziej 2019; first 75 of 100 mm [V]",
       points=[(62, 24, -62)])
vessel("frontal_branch_2", "forehead_lateral_junction", "forehead_lateral_end", 25, 0.85, 0.8, (0.65, 1.8), (15, 30), "forehead_lateral",
       "Koziej 2019; last 25 of 100 mm [V]")
vessel("parietal_branch", "sta_division", "temple_end", 80, 1.5, 1.2, None, None, "temple", "parietal branch of the STA, with the temple [E]")
vessel("maxillary", "eca_end", "pterygopalatine", 91, 2.4, 1.8, (1.2, 2.7), (60, 100), source="Mynard 2015 [E]", kind="medium",
       points=[(40, -42, -72)])
vessel("maxillary_deep", "pterygopalatine", "deep_face_end", 25, 1.6, 1.5, territory="deep_face", source="sphenopalatine, palatine, meningeal and muscular branches lumped [E]")
vessel("infraorbital", "pterygopalatine", "infraorbital_exit", 35, 0.8, 0.45, (0.45, 1.2), (25, 45), source="Hufschmidt 2019 [E]")
vessel("infraorbital_palpebral", "infraorbital_exit", "lower_eyelid_end", 14, 0.3, 0.3, territory="lower_eyelid", source="palpebral branch of the IOA [E]")
vessel("infraorbital_cheek", "infraorbital_exit", "cheek_end", 15, 0.5, 0.4, territory="cheek", source="labial and cheek branches of the IOA [E]")

# Midline arcades: (name, left node, length, d, d_range, L_range, source)
MIDLINE = [
    ("superior_labial_mid", "sla_end", 10, 0.5, (0.3, 0.7), (5, 15), "labial arcade [E]"),
    ("inferior_labial_mid", "ila_end", 10, 0.5, (0.3, 0.7), (5, 15), "as the upper arcade [E]"),
    ("dorsal_nasal_mid", "dorsum", 15, 0.3, (0.2, 0.5), (5, 15), "radix arcade, Choi 2018; length 10 raised to 15 [E]"),
]

# ---------------------------------------------------------------------------------------------
# Territories of the left side: name -> (tissue, seeds, polygon [frontal plane, mm], area cm^2, note).
# A seed is a landmark name or a point (x, y, z).
TERRITORIES = {
    "glabella": ("skin", [(6, 12, 4)], [(0, 2), (12, 2), (13, 22), (0, 22)], 2.5, "half of 4-6 cm^2 [E]"),
    "forehead_medial": ("skin", [(8, 40, -2)], [(0, 22), (13, 22), (17, 62), (0, 62)], 12, "[E]"),
    "forehead_central": ("skin", ["supraorbital_notch", (26, 35, -8)], [(12, 2), (36, 6), (38, 58), (17, 62), (13, 22)], 16, "[E]"),
    "forehead_lateral": ("skin", [(46, 30, -25)], [(36, 6), (52, 10), (56, 46), (38, 58)], 17, "forehead 70-110 cm^2 both sides [E]"),
    "temple": ("skin", ["frontotemporale"], [(52, 10), (62, -4), (70, 0), (70, 36), (56, 46)], None, "[E]"),
    "radix": ("skin", [(4, -6, 2)], [(0, -14), (8, -14), (8, 2), (0, 2)], None, "[E]"),
    "medial_canthus": ("skin", ["endocanthion"], [(8, -16), (16, -16), (16, 2), (8, 2)], None, "[E]"),
    "lower_eyelid": ("skin", [(30, -17, -14)], [(16, -16), (44, -12), (44, -22), (18, -24)], None, "[E]"),
    "nasal_dorsum": ("skin", [(4, -24, 11)], [(0, -36), (0, -14), (8, -14), (9, -34)], 2.5, "half of dorsum + sidewall 4-6 cm^2 [E]"),
    "nasal_sidewall": ("skin", [(13, -27, 3)], [(8, -14), (8, -16), (16, -16), (19, -38), (9, -34)], 2.5, "[E]"),
    "nasal_tip": ("skin", [(4, -42, 26)], [(0, -48), (0, -36), (9, -34), (10, -46)], 2, "half of 3-5 cm^2 [E]"),
    "ala": ("skin", ["alare"], [(10, -46), (9, -34), (19, -38), (20, -50), (12, -52)], 2, "1.5-2.5 cm^2 [E]"),
    "cheek": ("skin", [(34, -40, -14)], [(18, -24), (44, -22), (58, -32), (56, -62), (30, -64), (24, -54), (20, -50), (19, -38)], None, "[E]"),
    "upper_lip": ("skin", [(10, -63, 10)], [(0, -70), (0, -52), (12, -52), (24, -54), (30, -64), (26, -72)], 5, "half of 8-12 cm^2 [E]"),
    "lower_lip": ("skin", [(10, -81, 8)], [(0, -92), (0, -74), (26, -74), (28, -86)], None, "[E]"),
    "chin": ("skin", [(10, -104, 4)], [(0, -120), (0, -92), (28, -86), (30, -106), (18, -116)], None, "[E]"),
    "retina": ("retina", ["optic_disc"], None, None, "inner retina, fed by the central retinal artery"),
    "choroid": ("choroid", ["globe"], None, None, "choroid and outer retina, fed by the posterior ciliary arteries"),
    "brain": ("brain", [(11, -6, -76)], None, None, "ICA territory beyond the ophthalmic origin"),
    "orbit": ("other", [(34, -2, -30)], None, None, "lacrimal gland, extraocular muscles, ethmoid"),
    "deep_face": ("other", ["pterygopalatine_fossa"], None, None, "maxillary territory: nasal cavity, palate, muscles of mastication"),
    "neck": ("other", ["carotid_bifurcation"], None, None, "other ECA branches: tongue, thyroid, occiput, ear"),
    "submandibular": ("other", [(34, -118, -48)], None, None, "submandibular gland, tonsil, soft palate: the cervical branches of the facial artery"),
}

# ---------------------------------------------------------------------------------------------
# Physical constants and rules (docs/face.md).
RHO = 1060.0            # kg m^-3, blood density of the case files
P_MEAN = 12e3           # Pa, mean pressure the terminals are sized for
RC = 0.3                # s, R_total C of every terminal
E_LARGE, H_LARGE = 0.7e6, 0.10   # common, internal, external carotid: Boileau 2015 CCA wall
E_SMALL, H_SMALL = 1.2e6, 0.15   # every other artery (Alastruey 2007; Mynard 2015 conventions)
ZETA_SMALL_BELOW = 1.0  # mm: radius below which the profile is flat-ish Poiseuille (zeta 2), else 9
INFLOW = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "meshes", "benchmarks", "boileau2015", "cca-inflow.dat")


def mean_inflow(path):
    rows = [tuple(map(float, l.split())) for l in open(path) if l.strip() and not l.startswith("#")]
    area = sum(0.5 * (q0 + q1) * (t1 - t0) for (t0, q0), (t1, q1) in zip(rows, rows[1:]))
    return area / (rows[-1][0] - rows[0][0])


def mirror_name(name, side):
    return f"{name}_{side}"


def position(pos, side, landmarks):
    """Absolute position of a node or point spec on a side."""
    sign = 1 if side == "l" else -1
    if isinstance(pos[0], str):
        lm = landmarks[pos[0] + ("" if pos[0] in MID_NAMES else "_" + side)]
        d = pos[1:] if len(pos) > 1 else (0, 0, 0)
        return (lm[0] + sign * d[0], lm[1] + d[1], lm[2] + d[2])
    return (sign * pos[0], pos[1], pos[2])


MID_NAMES = {l[0] for l in LANDMARKS_MID}


def fmt(x):
    s = f"{x:.4g}" if isinstance(x, float) else str(x)
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "meshes", "face", "geometry.yaml")
    q_in = 2 * mean_inflow(INFLOW)

    landmarks = {}
    lm_lines = []
    for name, x, y, z, note in LANDMARKS_MID:
        landmarks[name] = (x, y, z)
        lm_lines.append((f"  - {{name: {name}, x: {x}, y: {y}, z: {z}}}", note))
    for side, sign in (("l", 1), ("r", -1)):
        for name, x, y, z, note in LANDMARKS_SIDE:
            landmarks[f"{name}_{side}"] = (sign * x, y, z)
            lm_lines.append((f"  - {{name: {name}_{side}, x: {sign * x}, y: {y}, z: {z}}}", note if side == "l" else "mirror of the left"))

    nodes = {}   # (key, side) -> (id, xyz, text)
    for side, base in (("l", 100), ("r", 200)):
        sign = 1 if side == "l" else -1
        for key, (num, pos) in NODES.items():
            xyz = position(pos, side, landmarks)
            if isinstance(pos[0], str):
                lm = pos[0] + ("" if pos[0] in MID_NAMES else "_" + side)
                d = pos[1:]
                offs = "".join(f", {k}: {fmt(sign * v if k == 'dx' else v)}" for k, v in zip(("dx", "dy", "dz"), d) if v != 0)
                text = f"{{id: {base + num}, at: {lm}{offs}}}"
            else:
                text = f"{{id: {base + num}, x: {fmt(xyz[0])}, y: {fmt(xyz[1])}, z: {fmt(xyz[2])}}}"
            nodes[(key, side)] = (base + num, xyz, text, key)

    # geometry checks and the list of all vessels, left, right, midline
    entries = []
    problems = []
    for side in ("l", "r"):
        for v in V:
            a, b = nodes[(v["a"], side)], nodes[(v["b"], side)]
            pts = [position(p, side, landmarks) for p in v["points"]]
            chord = math.dist(a[1], b[1])
            poly = sum(math.dist(p, q) for p, q in zip([a[1]] + pts, pts + [b[1]]))
            if chord > v["length"] + 1e-9:
                problems.append(f"{v['name']}_{side}: length {v['length']} mm < chord {chord:.1f} mm")
            entries.append(dict(v, name=f"{v['name']}_{side}", a_id=a[0], b_id=b[0], pts=pts, chord=chord, poly=poly,
                                territory=f"{v['territory']}_{side}" if v["territory"] else None, side=side))
    for name, key, length, d, dr, lr, source in MIDLINE:
        a, b = nodes[(key, "l")], nodes[(key, "r")]
        chord = math.dist(a[1], b[1])
        if chord > length + 1e-9:
            problems.append(f"{name}: length {length} mm < chord {chord:.1f} mm")
        entries.append(dict(name=name, a_id=a[0], b_id=b[0], length=length, d_prox=d, d_dist=d, d_range=dr, L_range=lr,
                            territory=None, source=source, pts=[], chord=chord, poly=chord, kind="small", side="mid"))
    for e in entries:
        lo, hi = e["L_range"] or (0, 1e9)
        if not lo <= e["length"] <= hi:
            problems.append(f"{e['name']}: length {e['length']} outside {e['L_range']}")
        lo, hi = e["d_range"] or (0, 1e9)
        if not lo <= e["d_prox"] <= hi:
            problems.append(f"{e['name']}: diameter {e['d_prox']} outside {e['d_range']}")
    if problems:
        sys.exit("face-default.py: geometry problems:\n  " + "\n  ".join(problems))

    # wall, friction and terminals
    degree = {}
    for e in entries:
        for n in (e["a_id"], e["b_id"]):
            degree[n] = degree.get(n, 0) + 1
    inlets = {nodes[("cca_origin", s)][0] for s in ("l", "r")}
    for e in entries:
        large = e["kind"] == "large"
        e["r_prox"], e["r_dist"] = e["d_prox"] / 2, e["d_dist"] / 2
        e["E"] = E_LARGE if large else E_SMALL
        e["h"] = (H_LARGE if large else H_SMALL) * e["r_prox"]
        e["zeta"] = 2 if e["r_prox"] < ZETA_SMALL_BELOW else 9
        e["terminal"] = degree[e["b_id"]] == 1 and e["b_id"] not in inlets
        if e["terminal"] != bool(e["territory"]):
            sys.exit(f"face-default.py: {e['name']}: terminal {e['terminal']} but territory {e['territory']}")
    terminals = [e for e in entries if e["terminal"]]
    sum_r3 = sum((e["r_dist"] * 1e-3) ** 3 for e in terminals)
    for e in terminals:
        r = e["r_dist"] * 1e-3
        area = math.pi * r * r
        beta = 4.0 / 3.0 * math.sqrt(math.pi) * e["E"] * e["h"] * 1e-3
        c = math.sqrt(beta / (2 * RHO * math.sqrt(area)))
        q = q_in * r ** 3 / sum_r3
        total = P_MEAN / q
        r1 = RHO * c / area
        if not total - r1 > 0.5 * total:
            r1 = 0.1 * total
        e["outlet"] = (r1, total - r1, RC / total, q)

    with open(out, "w") as f:
        w = f.write
        w("# The default bilateral face of havoc: the arterial network of both hemifaces from the common\n"
          "# carotid arteries to the skin, retina, choroid and brain, joined by the midline arcades of the lips\n"
          "# and of the nasal radix. Geometry, sources and conventions: docs/face.md.\n"
          "#\n"
          "# Written by scripts/face-default.py: edit the tables there and rerun it.\n"
          "#\n"
          "# Variants (angular artery, facial artery termination, columellar branch, dorsal nasal artery):\n"
          "# meshes/face/variants.yaml. This network is, per side, the angular artery type I (persistent,\n"
          "# Kim 2014), the facial artery ending as the medial canthal artery (type 3, Wang 2022), a columellar\n"
          "# branch on both sides (Rohrich 1995) and a dorsal nasal artery on both sides (Tansatit 2017).\n"
          "#\n"
          "# Walls: E 0.7 MPa, h = 0.10 r_prox for the common, internal and external carotid; E 1.2 MPa,\n"
          "# h = 0.15 r_prox elsewhere. zeta 2 (Poiseuille) for r_prox < 1 mm, 9 above. Radii at zero\n"
          "# transmural pressure.\n"
          "#\n"
          "# PROVISIONAL OUTLETS: every terminal has a three-element Windkessel sized by Murray's law so that the\n"
          f"# network runs: terminal i takes Q_i = Q_in r_i^3 / sum r^3 (Q_in = {q_in * 1e6:.4g} mL/s, both carotid\n"
          "# inflows of meshes/benchmarks/boileau2015/cca-inflow.dat; r_i the distal radius) at 12 kPa;\n"
          "# R1 = rho c / A (rho 1060 kg/m^3), R2 = 12 kPa / Q_i - R1, C = 0.3 s / (R1 + R2). They are not\n"
          "# physiological (the facial beds get far less than their measured flows): meshes/face/default.yaml\n"
          "# is this network with its outlets calibrated (havoc calibrate meshes/face/calibration.yaml).\n")
        w("format: havoc-network 1\n")
        w("name: face-default\n")
        w("description: default bilateral facial arterial network\n")
        w("defaults:\n  E: 1.2 MPa\n  zeta: 2\n")
        w("landmarks: # mm, face frame (docs/face.md); tags: [V] read in the source, [M] secondary, [E] estimate\n")
        width = max(len(t) for t, _ in lm_lines) + 1
        for t, note in lm_lines:
            w(f"{t:<{width}}# {note}\n")
        w("territories:\n")
        for side in ("l", "r"):
            sign = 1 if side == "l" else -1
            for name, (tissue, seeds, poly, area, note) in TERRITORIES.items():
                ss = []
                for s in seeds:
                    ss.append(s + ("" if s in MID_NAMES else "_" + side) if isinstance(s, str) else f"[{fmt(sign * s[0])}, {s[1]}, {s[2]}]")
                parts = [f"name: {name}_{side}", f"tissue: {tissue}", f"seeds: [{', '.join(ss)}]"]
                if poly:
                    pp = poly if side == "l" else [(-x, y) for x, y in reversed(poly)]
                    parts.append("polygon: [" + ", ".join(f"[{fmt(x)}, {y}]" for x, y in pp) + "]")
                if area:
                    parts.append(f"area: {area} cm^2")
                w(f"  - {{{', '.join(parts)}}}" + (f"  # {note}" if side == "l" and note else "") + "\n")
        w("nodes: # left side 1xx, right side 2xx\n")
        for (key, side), (nid, xyz, text, k) in sorted(nodes.items(), key=lambda kv: kv[1][0]):
            w(f"  - {text:<58}# {key}\n")
        w("inlets:\n")
        for s in ("l", "r"):
            w(f"  - {{node: {nodes[('cca_origin', s)][0]}, name: cca_{s}}}\n")
        w("vessels:\n")
        last = None
        for e in entries:
            if e["side"] != last:
                w({"l": "  # --- left side\n", "r": "  # --- right side (mirror of the left)\n", "mid": "  # --- midline arcades\n"}[e["side"]])
                last = e["side"]
            parts = [f"name: {e['name']}", f"from: {e['a_id']}", f"to: {e['b_id']}", f"length: {fmt(e['length'])}"]
            if e["r_prox"] == e["r_dist"]:
                parts.append(f"radius: {fmt(e['r_prox'])}")
            else:
                parts += [f"radius_prox: {fmt(e['r_prox'])}", f"radius_dist: {fmt(e['r_dist'])}"]
            if e["E"] != E_SMALL:
                parts.append(f"E: {e['E'] / 1e6:g} MPa")
            parts.append(f"h: {fmt(round(e['h'], 6))}")
            if e["zeta"] != 2:
                parts.append(f"zeta: {e['zeta']}")
            if e["d_range"]:
                parts.append(f"radius_range: [{fmt(e['d_range'][0] / 2)}, {fmt(e['d_range'][1] / 2)}]")
            if e["L_range"]:
                parts.append(f"length_range: [{fmt(e['L_range'][0])}, {fmt(e['L_range'][1])}]")
            if e["pts"]:
                parts.append("points: [" + ", ".join(f"[{fmt(p[0])}, {fmt(p[1])}, {fmt(p[2])}]" for p in e["pts"]) + "]")
            if e["terminal"]:
                r1, r2, c, q = e["outlet"]
                parts.append(f"territory: {e['territory']}")
                parts.append(f"outlet: {{model: wk3, R1: {r1:.4e}, R2: {r2:.4e}, C: {c:.4e}}}")
            note = e["source"] if e["side"] != "r" else ""
            w(f"  - {{{', '.join(parts)}}}" + (f"  # {note}" if note else "") + "\n")
    print(f"{out}: {len(entries)} vessels, {len(nodes)} nodes, {len(terminals)} terminals, Q_in {q_in * 1e6:.4g} mL/s")


if __name__ == "__main__":
    main()
