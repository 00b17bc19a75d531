/* Helpers shared by the validation programs: run a case in process, pull probe series, report figures.
   Each figure is printed beside its bound; a program exits non-zero if any figure is out of bounds. */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include "case.h"
#include "hemo.h"
#include "probes.h"

typedef struct {
  HavocMesh  mesh;
  Hemo       hemo;
  HemoProbes probes;
} ValRun;

static int val_failures = 0;

/* Prints "  what: <detail>  [PASS|FAIL] (value <= bound)" and counts failures. */
static inline PetscBool ValCheck(PetscBool ok, const char *what, const char *fmt, ...)
{
  va_list ap;
  printf("  %-44s ", what);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("  %s\n", ok ? "PASS" : "FAIL");
  fflush(stdout);
  if (!ok) val_failures++;
  return ok;
}

/* Sets up a run: options from YAML text, the network from a file or, if mesh_text, from that text. */
static inline PetscErrorCode ValRunCreate(const char mesh[], const char mesh_text[], const char options[], ValRun *r)
{
  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(r, sizeof(*r)));
  PetscCall(HavocCaseLoadString(PETSC_COMM_WORLD, "validation options", options));
  if (mesh_text) PetscCall(HavocMeshReadString(PETSC_COMM_WORLD, mesh, mesh_text, &r->mesh));
  else PetscCall(HavocMeshRead(PETSC_COMM_WORLD, mesh, &r->mesh));
  PetscCall(HemoCreate(PETSC_COMM_WORLD, &r->hemo));
  PetscCall(HemoSetFromOptions(r->hemo));
  PetscCall(HemoSetMesh(r->hemo, r->mesh));
  PetscCall(HemoSetUp(r->hemo));
  PetscCall(HemoProbesCreate(r->hemo, &r->probes));
  PetscCall(HemoProbesSetFromOptions(r->probes));
  PetscCall(HemoProbesSetUp(r->probes, NULL));
  PetscCall(HavocCaseClear());
  PetscFunctionReturn(0);
}

static inline PetscErrorCode ValRunSolve(ValRun *r)
{
  PetscFunctionBeginUser;
  PetscCall(HemoSolve(r->hemo));
  PetscCall(HemoProbesFinish(r->probes));
  PetscFunctionReturn(0);
}

/* The series of a vessel (by name) at fraction index f; free with PetscFree3(p, q, a). */
static inline PetscErrorCode ValRunSeries(ValRun *r, const char vessel[], PetscInt f, PetscInt *n, const PetscReal **t, PetscReal **p, PetscReal **q, PetscReal **a)
{
  PetscInt index;

  PetscFunctionBeginUser;
  PetscCall(HavocMeshFindVessel(r->mesh, vessel, &index));
  PetscCheck(index >= 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "no vessel %s", vessel);
  PetscCall(HemoProbesGetSeries(r->probes, index, f, n, t, p, q, a));
  PetscCheck(*n > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "vessel %s is not on this rank: validation programs run on one rank", vessel);
  PetscFunctionReturn(0);
}

static inline PetscErrorCode ValRunDestroy(ValRun *r)
{
  PetscFunctionBeginUser;
  PetscCall(HemoProbesDestroy(&r->probes));
  PetscCall(HemoDestroy(&r->hemo));
  PetscCall(HavocMeshDestroy(&r->mesh));
  PetscFunctionReturn(0);
}

/* Standard main: initialize, run the body, report. */
#define VAL_MAIN(title, body)                             \
  int main(int argc, char **argv)                         \
  {                                                       \
    PetscCall(PetscInitialize(&argc, &argv, NULL, NULL)); \
    PetscCall(HavocErrorHandlerPush());                   \
    PetscCall(HavocRegisterAll());                        \
    printf("%s\n", title);                                \
    PetscCall(body());                                    \
    PetscCall(HavocErrorHandlerPop());                    \
    PetscCall(PetscFinalize());                           \
    return val_failures ? 1 : 0;                          \
  }

/* max(m, x) that keeps a NaN: a non-finite figure must fail its check, not vanish from it. */
static inline PetscReal ValMax(PetscReal m, PetscReal x)
{
  return x <= m ? m : x;
}

/* Area and centroid of (v - base) over the samples with t in [t0, t1] (trapezoidal rule). */
static inline void ValPulse(PetscInt n, const PetscReal t[], const PetscReal v[], PetscReal base, PetscReal t0, PetscReal t1, PetscReal *area, PetscReal *centroid)
{
  PetscReal a = 0, m = 0;
  for (PetscInt i = 0; i + 1 < n; i++) {
    if (t[i] < t0 || t[i + 1] > t1) continue;
    const PetscReal h = t[i + 1] - t[i], f0 = v[i] - base, f1 = v[i + 1] - base;
    a += 0.5 * h * (f0 + f1);
    m += 0.5 * h * (f0 * t[i] + f1 * t[i + 1]);
  }
  *area     = a;
  *centroid = a != 0 ? m / a : 0;
}
