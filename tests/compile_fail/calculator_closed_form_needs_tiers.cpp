// Must not compile: closed_form_liquidation (the default solver) needs tier_schedule, and a
// host's own margin model without a generic solver is refused with a message saying so.
// expect: Policies::liquidation_solver is not a margincall::liquidation_solver
#include <margincall/calculator.hpp>

struct flat_model {
    double maintenance_margin(double notional, double) const noexcept { return 0.01 * notional; }
    double initial_margin(double notional, double, double leverage) const { return notional / leverage; }
    double max_leverage(double, double) const noexcept { return 100.0; }
};
struct host : margincall::default_policies<double> {
    using margin_model = flat_model;  // liquidation_solver stays closed_form_liquidation
};

int main() {
    margincall::margin_call_calculator<host> calc;
    return static_cast<int>(sizeof(calc) == 0);
}
