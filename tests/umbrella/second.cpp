// The umbrella header in a second translation unit: a non-inline definition fails to link.
#include <margincall/margincall.hpp>

double second_unit_value() { return margincall::linear_contract<double>{2.0}.pnl(0.5, 100.0, 101.0); }
