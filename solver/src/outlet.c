/* The outlet-model registry and the boundary solve shared by the resistive models. */
#include "havoc.h"
#include "outlet.h"

#include <string.h>

#define HAVOC_OUTLET_MAXTYPES 16

static const HavocOutletType *outlet_types[HAVOC_OUTLET_MAXTYPES];
static PetscInt               n_outlet_types;

PetscErrorCode HavocOutletRegister(const HavocOutletType *type)
{
  PetscInt index;

  PetscFunctionBeginUser;
  PetscCall(HavocOutletFind(type->name, &index));
  if (index >= 0) PetscFunctionReturn(0);
  PetscCheck(n_outlet_types < HAVOC_OUTLET_MAXTYPES, PETSC_COMM_SELF, PETSC_ERR_SUP, "too many outlet models (at most %d)", HAVOC_OUTLET_MAXTYPES);
  outlet_types[n_outlet_types++] = type;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocOutletFind(const char name[], PetscInt *index)
{
  PetscFunctionBeginUser;
  *index = -1;
  for (PetscInt i = 0; i < n_outlet_types; i++)
    if (!strcmp(outlet_types[i]->name, name)) *index = i;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocOutletGet(PetscInt index, const HavocOutletType **type)
{
  PetscFunctionBeginUser;
  PetscCheck(index >= 0 && index < n_outlet_types, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "no outlet model %" PetscInt_FMT, index);
  *type = outlet_types[index];
  PetscFunctionReturn(0);
}

PetscErrorCode HavocOutletList(char buf[], size_t len)
{
  PetscFunctionBeginUser;
  buf[0] = 0;
  for (PetscInt i = 0; i < n_outlet_types; i++)
    PetscCall(HavocListAppend(buf, len, outlet_types[i]->name));
  PetscFunctionReturn(0);
}

/* The end state on the invariant W for a given s = A^{1/4}: u = W - 4 sign gamma s. */
static void EndState(const HavocEnd *end, PetscReal W, PetscReal s, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const PetscReal u = W - 4 * end->sign * end->gamma * s, a = s * s * s * s;

  *ok = PETSC_FALSE;
  if (!(a > 0) || PetscIsInfOrNanReal(u)) return;
  *A  = a;
  *Q  = u * a;
  *ok = PETSC_TRUE;
}

/* With s = A^{1/4} the invariant makes the outflow sign*Q = sign W s^4 - 4 gamma s^5 a polynomial in s.
   Solves  a (sign Q(s)) - b (p(s) - p_out) + c = 0  by Newton from the guess *A, or from the state the
   invariant would have at rest (u = 0): a resistance R is (a, b, c) = (R, 1, 0), an inflow q is (1, 0, q). */
static void SolveOnInvariant(const HavocEnd *end, PetscReal W, PetscReal a, PetscReal b, PetscReal p_out, PetscReal c, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const HavocTube *t = &end->tube;
  const PetscReal  g = end->gamma, sg = end->sign;
  PetscReal        s = *A > 0 ? PetscSqrtReal(PetscSqrtReal(*A)) : sg * W / (4 * g);

  *ok = PETSC_FALSE;
  if (!(s > 0)) s = PetscSqrtReal(t->sqrtAr);
  for (PetscInt it = 0;; it++) {
    const PetscReal s2 = s * s, s3 = s2 * s, s4 = s2 * s2;
    const PetscReal f  = a * (sg * W * s4 - 4 * g * s4 * s) - b * (t->pr + t->K * (s2 - t->sqrtAr) - p_out) + c;
    const PetscReal df = a * (4 * sg * W * s3 - 20 * g * s4) - 2 * b * t->K * s;
    PetscReal       ds;
    if (!(df != 0) || it == 100) return;
    ds = -f / df;
    if (s + ds <= 0) ds = -0.5 * s; /* stay on the physical branch */
    s += ds;
    /* Newton converges quadratically: after a correction of 1e-8 the remaining error is about 1e-16 */
    if (PetscAbsReal(ds) <= 1e-8 * s) break;
  }
  EndState(end, W, s, A, Q, ok);
}

void HavocEndSolveResistive(const HavocEnd *end, PetscReal W, PetscReal R, PetscReal p_out, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  if (R > 0) SolveOnInvariant(end, W, R, 1, p_out, 0, A, Q, ok);
  else HavocEndSolvePressure(end, W, p_out, A, Q, ok);
}

/* Inflow q into the network: sign*Q = -q. */
void HavocEndSolveFlow(const HavocEnd *end, PetscReal W, PetscReal q, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  SolveOnInvariant(end, W, 1, 0, 0, q, A, Q, ok);
}

void HavocEndSolvePressure(const HavocEnd *end, PetscReal W, PetscReal p, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const PetscReal r = HavocTubeSqrtArea(&end->tube, p);

  *ok = PETSC_FALSE;
  if (r > 0) EndState(end, W, PetscSqrtReal(r), A, Q, ok);
}
