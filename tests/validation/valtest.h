/* Helpers shared by the validation programs: run a case in process, pull probe series, report figures.
   Each figure is printed beside its bound; a program exits non-zero if any figure is out of bounds. */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include "case.h"
#include "hemo.h"
#include "probes.h"

/* The 7-vessel loop network of val_steady and val_steady_network: its header (E is the wall modulus with
   its unit) and the vessels d, e, f, g with stiff-wall outlets. Vessels a, b, c come from each test. */
#define VAL_LOOP_HEAD(E)                \
  "format: havoc-network 1\n"           \
  "defaults: {E: " E ", zeta: 2}\n"     \
  "nodes:\n"                            \
  "  - {id: 1, x: 0, y: 0, z: 0}\n"     \
  "  - {id: 2, x: 40, y: 0, z: 0}\n"    \
  "  - {id: 3, x: 70, y: 10, z: 0}\n"   \
  "  - {id: 4, x: 70, y: -30, z: 0}\n"  \
  "  - {id: 5, x: 90, y: -10, z: 0}\n"  \
  "  - {id: 6, x: 120, y: -10, z: 0}\n" \
  "  - {id: 7, x: 100, y: 30, z: 0}\n"  \
  "inlets: [{node: 1}]\n"               \
  "vessels:\n"
#define VAL_LOOP_B \
  "  - {name: b, from: 2, to: 3, length: 30 mm, radius: 1.0 mm, h: 0.1 mm}\n"
#define VAL_LOOP_DE                                                            \
  "  - {name: d, from: 3, to: 5, length: 20 mm, radius: 0.9 mm, h: 0.09 mm}\n" \
  "  - {name: e, from: 5, to: 4, length: 25 mm, radius: 1.0 mm, h: 0.1 mm}\n"
/* The loop as val_steady runs it: stiff walls, uniform vessels, resistance outlets to 0 Pa. */
#define VAL_LOOP                                                                                                    \
  VAL_LOOP_HEAD("100 MPa")                                                                                          \
  "  - {name: a, from: 1, to: 2, length: 40 mm, radius: 1.5 mm, h: 0.15 mm}\n" VAL_LOOP_B                           \
  "  - {name: c, from: 4, to: 2, length: 50 mm, radius: 1.2 mm, h: 0.12 mm}\n" VAL_LOOP_DE                          \
  "  - {name: f, from: 5, to: 6, length: 30 mm, radius: 1.1 mm, h: 0.11 mm, outlet: {model: resistance, R: 2e9}}\n" \
  "  - {name: g, from: 3, to: 7, length: 35 mm, radius: 0.8 mm, h: 0.08 mm, outlet: {model: resistance, R: 4e9}}\n"

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
