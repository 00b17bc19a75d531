/* Analytic waveforms for tests and idealised cases: a constant with a smooth start, a Gaussian pulse,
   a sine. */
#include "waveform.h"
#include "options.h"

typedef struct {
  PetscReal value, amplitude, t0, width, period, ramp;
} Analytic;

static PetscErrorCode AnalyticDestroy(HavocWaveform w)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(w->data));
  PetscFunctionReturn(0);
}

static PetscErrorCode AnalyticCreate(HavocWaveform w, Analytic **a)
{
  PetscFunctionBeginUser;
  PetscCall(PetscNew(a));
  w->data    = *a;
  w->destroy = AnalyticDestroy;
  PetscFunctionReturn(0);
}

/* Raised-cosine ramp from 0 to the value over [0, ramp]: no step, so no shock at start-up. */
static PetscReal ConstantEval(HavocWaveform w, PetscReal t)
{
  const Analytic *a = (const Analytic *)w->data;
  if (t >= a->ramp) return a->value;
  if (t <= 0) return 0;
  return a->value * 0.5 * (1 - PetscCosReal(PETSC_PI * t / a->ramp));
}

PetscErrorCode HavocWaveformCreate_Constant(HavocWaveform w, PetscOptionItems *PetscOptionsObject)
{
  Analytic *a;

  PetscFunctionBeginUser;
  PetscCall(AnalyticCreate(w, &a));
  PetscCall(HavocOptionsQuantity("-value", "constant: the inlet value", w->unit, 0, &a->value, NULL, -PETSC_MAX_REAL, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-ramp", "constant: duration of the smooth start from zero", "s", 0, &a->ramp, NULL, 0, PETSC_MAX_REAL));
  w->eval   = ConstantEval;
  w->period = 0;
  w->mean   = a->value;
  PetscFunctionReturn(0);
}

static PetscReal PulseEval(HavocWaveform w, PetscReal t)
{
  const Analytic *a = (const Analytic *)w->data;
  const PetscReal z = (t - a->t0) / a->width;
  return a->value + a->amplitude * PetscExpReal(-0.5 * z * z);
}

PetscErrorCode HavocWaveformCreate_Pulse(HavocWaveform w, PetscOptionItems *PetscOptionsObject)
{
  Analytic *a;

  PetscFunctionBeginUser;
  PetscCall(AnalyticCreate(w, &a));
  a->width = 1e-3;
  a->t0    = 5e-3;
  PetscCall(HavocOptionsQuantity("-value", "pulse: base value under the pulse", w->unit, 0, &a->value, NULL, -PETSC_MAX_REAL, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-amplitude", "pulse: peak of the Gaussian pulse above the base", w->unit, 0, &a->amplitude, NULL, -PETSC_MAX_REAL, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-pulse_time", "pulse: time of the peak", "s", a->t0, &a->t0, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-pulse_width", "pulse: standard deviation of the pulse", "s", a->width, &a->width, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  w->eval   = PulseEval;
  w->period = 0;
  w->mean   = a->value;
  PetscFunctionReturn(0);
}

static PetscReal SineEval(HavocWaveform w, PetscReal t)
{
  const Analytic *a = (const Analytic *)w->data;
  return a->value + a->amplitude * PetscSinReal(2 * PETSC_PI * t / a->period);
}

PetscErrorCode HavocWaveformCreate_Sine(HavocWaveform w, PetscOptionItems *PetscOptionsObject)
{
  Analytic *a;

  PetscFunctionBeginUser;
  PetscCall(AnalyticCreate(w, &a));
  a->period = 1;
  PetscCall(HavocOptionsQuantity("-value", "sine: mean value", w->unit, 0, &a->value, NULL, -PETSC_MAX_REAL, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-amplitude", "sine: amplitude", w->unit, 0, &a->amplitude, NULL, -PETSC_MAX_REAL, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-period", "sine: period", "s", a->period, &a->period, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  w->eval   = SineEval;
  w->period = a->period;
  w->mean   = a->value;
  PetscFunctionReturn(0);
}
