/* The default face, meshes/face/default.yaml, against what docs/face.md says of it: the named vessels on
   both sides, landmarks, territories for every terminal and a terminal for every territory, the two
   sides mirror images of each other, no vessel shorter than the line between its ends, and the wall and
   friction rules. */
#include "mesh.h"

#include <check.h>
#include "unittest.h"
#include <float.h>
#include <stdio.h>
#include <string.h>

#define FACE "meshes/face/default.yaml"

static HavocMesh face;

static PetscInt Vessel(const char *name)
{
  PetscInt e;

  ck_assert(!HavocMeshFindVessel(face, name, &e));
  return e;
}

START_TEST(sizes)
{
  ck_assert_int_eq(face->nvessels, 109);
  ck_assert_int_eq(face->nnodes, 96);
  ck_assert_int_eq(face->ninlets, 2);
  ck_assert_int_eq(face->noutlets, 46);
  ck_assert_int_eq(face->nloops, 14);
  ck_assert_int_eq(face->nlandmarks, 54);
  ck_assert_int_eq(face->nterritories, 46);
  ck_assert_int_eq(HavocMeshVesselCells(&face->vessels[0], 2e-3, 3), 63);
}
END_TEST

START_TEST(named_vessels)
{
  const char *named[]   = {"cca", "ica", "ica_distal", "eca", "eca_other", "facial_1", "facial_2", "facial_3", "facial_4", "submental", "inferior_labial", "superior_labial", "columellar", "lateral_nasal", "nasal_tip", "angular", "ophthalmic_1", "ophthalmic_2", "ophthalmic_3", "central_retinal", "posterior_ciliary", "supratrochlear", "supraorbital", "dorsal_nasal", "sta", "frontal_branch", "maxillary", "infraorbital", "angular_dorsal_nasal", "supratrochlear_supraorbital", "supraorbital_frontal", "columellar_lateral_nasal", "dorsal_lateral_nasal", "infraorbital_angular"};
  const char *midline[] = {"superior_labial_mid", "inferior_labial_mid", "dorsal_nasal_mid"};
  char        name[HAVOC_NAME_LEN];

  for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
    for (int side = 0; side < 2; side++) {
      snprintf(name, sizeof(name), "%s_%c", named[i], side ? 'r' : 'l');
      ck_assert_msg(Vessel(name) >= 0, "no vessel %s", name);
    }
  for (size_t i = 0; i < 3; i++) {
    const HavocMeshVessel *v = &face->vessels[Vessel(midline[i])];
    ck_assert(face->nodes[v->from].x[0] > 0 && face->nodes[v->to].x[0] < 0); /* from the left to the right */
  }
  ck_assert_str_eq(face->inlets[0].name, "cca_l");
  ck_assert_str_eq(face->inlets[1].name, "cca_r");
}
END_TEST

START_TEST(landmarks)
{
  const char *required[] = {"nasion", "glabella", "radix", "rhinion", "pronasale", "subnasale", "stomion", "pogonion", "menton", "alare_l", "alar_base_l", "cheilion_l", "endocanthion_l", "exocanthion_l", "supraorbital_notch_l", "infraorbital_foramen_l", "mandibular_notch_l", "gonion_l", "tragus_l", "carotid_bifurcation_l", "orbital_apex_l", "optic_disc_l"};
  PetscInt    k, l, r;

  for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
    ck_assert(!HavocMeshFindLandmark(face, required[i], &k));
    ck_assert_msg(k >= 0, "no landmark %s", required[i]);
  }
  ck_assert(!HavocMeshFindLandmark(face, "nasion", &k));
  ck_assert(face->landmarks[k].x[0] == 0 && face->landmarks[k].x[1] == 0 && face->landmarks[k].x[2] == 0);
  /* the frame: x to the patient's left, y up, z out of the face */
  ck_assert(!HavocMeshFindLandmark(face, "exocanthion_l", &l));
  ck_assert(!HavocMeshFindLandmark(face, "exocanthion_r", &r));
  ck_assert(face->landmarks[l].x[0] > 0 && face->landmarks[r].x[0] == -face->landmarks[l].x[0]);
  ck_assert(!HavocMeshFindLandmark(face, "pronasale", &k));
  ck_assert(face->landmarks[k].x[2] > 0);
  ck_assert(!HavocMeshFindLandmark(face, "menton", &k));
  ck_assert(face->landmarks[k].x[1] < 0);
  ck_assert(!HavocMeshFindLandmark(face, "glabella", &k));
  ck_assert(face->landmarks[k].x[1] > 0);
}
END_TEST

/* Every terminal feeds a territory, every territory is fed, skin has an outline, and the tissues are
   where they should be. */
START_TEST(territories)
{
  PetscInt fed[64] = {0}, k;

  ck_assert_int_le(face->nterritories, 64);
  for (PetscInt e = 0; e < face->nvessels; e++) {
    const HavocMeshVessel *v = &face->vessels[e];
    if (v->outlet_type < 0) {
      ck_assert_msg(!v->territory[0], "%s has a territory but no outlet", v->name);
      continue;
    }
    ck_assert_msg(v->territory_index >= 0, "terminal %s has no territory", v->name);
    fed[v->territory_index]++;
  }
  for (PetscInt t = 0; t < face->nterritories; t++) {
    const HavocMeshTerritory *ter = &face->territories[t];
    ck_assert_msg(fed[t] == 1, "territory %s is fed by %d terminals", ter->name, (int)fed[t]);
    ck_assert_msg(ter->tissue != HAVOC_TISSUE_SKIN || ter->npolygon >= 3, "skin territory %s has no outline", ter->name);
    ck_assert(ter->nseeds >= 1);
  }
  ck_assert(!HavocMeshFindTerritory(face, "retina_l", &k));
  ck_assert_int_eq(face->territories[k].tissue, HAVOC_TISSUE_RETINA);
  ck_assert_str_eq(face->vessels[Vessel("central_retinal_l")].territory, "retina_l");
  ck_assert_int_eq(face->territories[face->vessels[Vessel("posterior_ciliary_r")].territory_index].tissue, HAVOC_TISSUE_CHOROID);
  ck_assert_int_eq(face->territories[face->vessels[Vessel("ica_distal_r")].territory_index].tissue, HAVOC_TISSUE_BRAIN);
  ck_assert_int_eq(face->territories[face->vessels[Vessel("eca_other_l")].territory_index].tissue, HAVOC_TISSUE_OTHER);
  ck_assert_int_eq(face->territories[face->vessels[Vessel("nasal_tip_l")].territory_index].tissue, HAVOC_TISSUE_SKIN);
}
END_TEST

/* The right side is the left one with x negated, vessel for vessel. */
START_TEST(mirror)
{
  PetscInt nleft = 0;

  for (PetscInt e = 0; e < face->nvessels; e++) {
    const HavocMeshVessel *l = &face->vessels[e], *r;
    char                   name[HAVOC_NAME_LEN];
    size_t                 n = strlen(l->name);

    if (n < 2 || strcmp(l->name + n - 2, "_l")) continue;
    nleft++;
    snprintf(name, sizeof(name), "%.*s_r", (int)(n - 2), l->name);
    ck_assert_msg(Vessel(name) >= 0, "%s has no mirror", l->name);
    r = &face->vessels[Vessel(name)];
    ck_assert(l->length == r->length && l->r_prox == r->r_prox && l->r_dist == r->r_dist && l->h == r->h && l->E == r->E && l->zeta == r->zeta);
    ck_assert(l->r_range[0] == r->r_range[0] && l->r_range[1] == r->r_range[1] && l->L_range[0] == r->L_range[0] && l->L_range[1] == r->L_range[1]);
    /* calibrated: the two sides agree to the round-off of the calibration's iteration */
    for (int k = 0; k < HAVOC_OUTLET_MAXPARAM; k++)
      ck_assert_msg(PetscAbsReal(l->outlet_param[k] - r->outlet_param[k]) <= 1e-9 * PetscAbsReal(l->outlet_param[k]), "%s: outlet parameter %d %g, its mirror %g", l->name, k, l->outlet_param[k], r->outlet_param[k]);
    for (int end = 0; end < 2; end++) {
      const PetscReal *p = face->nodes[end ? l->to : l->from].x, *q = face->nodes[end ? r->to : r->from].x;
      ck_assert_msg(p[0] == -q[0] && p[1] == q[1] && p[2] == q[2], "%s: ends not mirrored", l->name);
    }
  }
  ck_assert_int_eq(2 * nleft + 3, face->nvessels);
}
END_TEST

/* No vessel is shorter than the straight line between its ends, so that it can be drawn. */
START_TEST(lengths)
{
  for (PetscInt e = 0; e < face->nvessels; e++) {
    const HavocMeshVessel *v = &face->vessels[e];
    const PetscReal       *a = face->nodes[v->from].x, *b = face->nodes[v->to].x;
    const PetscReal        chord = PetscSqrtReal(PetscSqr(a[0] - b[0]) + PetscSqr(a[1] - b[1]) + PetscSqr(a[2] - b[2]));
    ck_assert_msg(v->length >= chord * (1 - 8 * DBL_EPSILON), "%s: length %g mm, its ends are %g mm apart", v->name, v->length * 1e3, chord * 1e3);
    ck_assert_msg(v->length >= 5e-3, "%s: %g mm is too short for dx 2 mm", v->name, v->length * 1e3);
  }
}
END_TEST

/* E 0.7 MPa and h = 0.10 r in the carotids, E 1.2 MPa and h = 0.15 r elsewhere; zeta 2 below 1 mm. */
START_TEST(wall_and_friction)
{
  for (PetscInt e = 0; e < face->nvessels; e++) {
    const HavocMeshVessel *v     = &face->vessels[e];
    const PetscBool        large = (PetscBool)(!strncmp(v->name, "cca_", 4) || !strncmp(v->name, "ica", 3) || !strncmp(v->name, "eca_l", 5) || !strncmp(v->name, "eca_r", 5) || !strncmp(v->name, "eca_2", 5));
    const PetscReal        ratio = large ? 0.10 : 0.15;

    ck_assert_msg(v->E == (large ? 0.7e6 : 1.2e6), "%s: E %g", v->name, v->E);
    ck_assert_msg(PetscAbsReal(v->h - ratio * v->r_prox) <= 1e-6 * v->h, "%s: h %g mm for r %g mm", v->name, v->h * 1e3, v->r_prox * 1e3);
    ck_assert_msg(v->zeta == (v->r_prox < 1e-3 * (1 - 1e-12) ? 2 : 9), "%s: zeta %g at r %g mm", v->name, v->zeta, v->r_prox * 1e3);
    ck_assert(v->p_ref == 0);
  }
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("face");
  TCase *tc    = tcase_create("default");
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  if (HavocMeshRead(PETSC_COMM_WORLD, FACE, &face)) return 1;
  tcase_add_test(tc, sizes);
  tcase_add_test(tc, named_vessels);
  tcase_add_test(tc, landmarks);
  tcase_add_test(tc, territories);
  tcase_add_test(tc, mirror);
  tcase_add_test(tc, lengths);
  tcase_add_test(tc, wall_and_friction);
  suite_add_tcase(suite, tc);
  failed = HavocRunSuite(suite);
  if (HavocMeshDestroy(&face)) return 1;
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
