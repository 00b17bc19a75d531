/* Posture: the direction of gravity in the face frame (see posture.h). */
#include "posture.h"
#include "options.h"
#include "units.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  double      degrees;
} postures[] = {
  {"supine", 0},
  {"reclined", 30},
  {"upright", 90},
  {"head-down", -10},
};

#define POSTURE_NAMES "supine (0 deg), reclined (30 deg), upright (90 deg), head-down (-10 deg)"

void HavocPostureDefault(HavocPosture *posture)
{
  posture->g         = 9.80665;
  posture->elevation = 0;
}

int HavocPostureParse(const char *text, PetscReal *elevation, char *err, size_t errlen)
{
  double v;
  char   why[256];

  for (size_t i = 0; i < sizeof(postures) / sizeof(postures[0]); i++)
    if (!strcmp(text, postures[i].name)) {
      *elevation = postures[i].degrees * PETSC_PI / 180;
      return 0;
    }
  /* an angle needs its unit: a bare "30" could be degrees or radians */
  if (HavocQuantityParse(text, NULL, "rad", &v, why, sizeof(why))) {
    snprintf(err, errlen, "expected " POSTURE_NAMES " or an elevation of the body axis with its unit such as '45 deg', got '%s'", text);
    return 1;
  }
  if (!(v >= -0.5 * PETSC_PI * (1 + 1e-12) && v <= 0.5 * PETSC_PI * (1 + 1e-12))) {
    snprintf(err, errlen, "an elevation of %g deg is outside [-90, 90] deg (0 supine, 90 upright)", v * 180 / PETSC_PI);
    return 1;
  }
  *elevation = v;
  return 0;
}

PetscErrorCode HavocPostureSetFromOptions(MPI_Comm comm, HavocPosture *posture)
{
  char      given[256], now[64], err[512];
  PetscBool set;

  PetscFunctionBeginUser;
  snprintf(now, sizeof(now), "%.6g deg", (double)(posture->elevation * 180 / PETSC_PI));
  PetscCall(PetscStrncpy(given, now, sizeof(given)));
  PetscOptionsBegin(comm, "patient_", "Patient", NULL);
  PetscCall(PetscOptionsString("-posture", "elevation of the body axis above the horizontal, for the hydrostatic head: " POSTURE_NAMES " or an angle such as '45 deg'", NULL, now, given, sizeof(given), &set));
  if (set) HavocCheckUser(!HavocPostureParse(given, &posture->elevation, err, sizeof(err)), comm, "option -patient_posture: %s", err);
  PetscCall(HavocOptionsQuantity("-gravity", "gravitational acceleration (0: no hydrostatic head)", "m s^-2", posture->g, &posture->g, NULL, 0, 100));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

void HavocPostureGravity(const HavocPosture *posture, PetscReal g[3])
{
  g[0] = 0;
  g[1] = -posture->g * PetscSinReal(posture->elevation);
  g[2] = -posture->g * PetscCosReal(posture->elevation);
  if (PetscAbsReal(g[1]) < 1e-15 * posture->g) g[1] = 0;
  if (PetscAbsReal(g[2]) < 1e-15 * posture->g) g[2] = 0;
}
