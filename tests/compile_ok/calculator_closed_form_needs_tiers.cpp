// The compiling twin of compile_fail/calculator_closed_form_needs_tiers.cpp: the same host
// model with the generic solver is accepted.
#include <margincall/calculator.hpp>

struct flat_model {
    double maintenance_margin(double notional, double) const noexcept { return 0.01 * notional; }
    double initial_margin(double notional, double, double leverage) const { return notional / leverage; }
    double max_leverage(double, double) const noexcept { return 100.0; }
};
struct host : margincall::default_policies<double> {
    using margin_model = flat_model;
    using liquidation_solver = margincall::generic_liquidation<double>;
};

int main() {
    margincall::margin_call_calculator<host> calc;
    return static_cast<int>(sizeof(calc) == 0);
}
