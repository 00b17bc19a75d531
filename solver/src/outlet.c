/* The outlet-model registry and the boundary solve shared by the resistive models. */
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
  for (PetscInt i = 0; i < n_outlet_types; i++) {
    if (i) PetscCall(PetscStrlcat(buf, ", ", len));
    PetscCall(PetscStrlcat(buf, outlet_types[i]->name, len));
  }
  PetscFunctionReturn(0);
}

/* With s = A^{1/4} the invariant gives u = W - 4 sign gamma s, so the outflow sign*Q = sign W s^4 - 4 gamma s^5
   is a polynomial in s. Newton starts from the guess, or from the state the invariant would have at rest
   (u = 0). */
void HavocEndSolveResistive(const HavocEnd *end, PetscReal W, PetscReal R, PetscReal p_out, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const HavocTube *t = &end->tube;
  const PetscReal  g = end->gamma, sg = end->sign;
  PetscReal        s;

  *ok = PETSC_FALSE;
  if (R == 0) {
    const PetscReal r = HavocTubeSqrtArea(t, p_out);
    if (!(r > 0)) return;
    s = PetscSqrtReal(r);
  } else {
    s = *A > 0 ? PetscSqrtReal(PetscSqrtReal(*A)) : sg * W / (4 * g);
    if (!(s > 0)) s = PetscSqrtReal(t->sqrtAr);
    for (PetscInt it = 0; it < 100; it++) {
      const PetscReal s2 = s * s, s3 = s2 * s, s4 = s2 * s2;
      const PetscReal f  = R * (sg * W * s4 - 4 * g * s4 * s) - (t->pr + t->K * (s2 - t->sqrtAr) - p_out);
      const PetscReal df = R * (4 * sg * W * s3 - 20 * g * s4) - 2 * t->K * s;
      PetscReal       ds;
      if (!(df != 0)) return;
      ds = -f / df;
      if (s + ds <= 0) ds = -0.5 * s; /* stay on the physical branch */
      s += ds;
      if (PetscAbsReal(ds) <= 1e-15 * s) break;
      if (it == 99) return;
    }
  }
  {
    const PetscReal u = W - 4 * sg * g * s, a = s * s * s * s;
    if (!(a > 0) || PetscIsInfOrNanReal(u)) return;
    *A  = a;
    *Q  = u * a;
    *ok = PETSC_TRUE;
  }
}

/* Inflow q into the network: sign*Q = -q, i.e. sign W s^4 - 4 gamma s^5 + q = 0. */
void HavocEndSolveFlow(const HavocEnd *end, PetscReal W, PetscReal q, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const PetscReal g = end->gamma, sg = end->sign;
  PetscReal       s = *A > 0 ? PetscSqrtReal(PetscSqrtReal(*A)) : sg * W / (4 * g);

  *ok = PETSC_FALSE;
  if (!(s > 0)) s = PetscSqrtReal(end->tube.sqrtAr);
  for (PetscInt it = 0; it < 100; it++) {
    const PetscReal s3 = s * s * s, s4 = s3 * s;
    const PetscReal f = sg * W * s4 - 4 * g * s4 * s + q, df = 4 * sg * W * s3 - 20 * g * s4;
    PetscReal       ds;
    if (!(df != 0)) return;
    ds = -f / df;
    if (s + ds <= 0) ds = -0.5 * s;
    s += ds;
    if (PetscAbsReal(ds) <= 1e-15 * s) break;
    if (it == 99) return;
  }
  {
    const PetscReal u = W - 4 * sg * g * s, a = s * s * s * s;
    if (!(a > 0) || PetscIsInfOrNanReal(u)) return;
    *A  = a;
    *Q  = u * a;
    *ok = PETSC_TRUE;
  }
}

void HavocEndSolvePressure(const HavocEnd *end, PetscReal W, PetscReal p, PetscReal *A, PetscReal *Q, PetscBool *ok)
{
  const PetscReal r = HavocTubeSqrtArea(&end->tube, p);

  *ok = PETSC_FALSE;
  if (!(r > 0)) return;
  {
    const PetscReal s = PetscSqrtReal(r), u = W - 4 * end->sign * end->gamma * s;
    *A  = r * r;
    *Q  = u * *A;
    *ok = PETSC_TRUE;
  }
}
