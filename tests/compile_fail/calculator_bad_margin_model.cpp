// Must not compile: the host's margin model has no maintenance_margin, and the calculator
// says so, naming the slot, the concept and the missing member.
// expect: Policies::margin_model is not a margincall::margin_rate_model: it lacks .Real maintenance_margin
#include <margincall/calculator.hpp>

struct half_model {  // initial margin and max leverage only
    double initial_margin(double notional, double, double leverage) const { return notional / leverage; }
    double max_leverage(double, double) const noexcept { return 100.0; }
};
struct host : margincall::default_policies<double> {
    using margin_model = half_model;
    using liquidation_solver = margincall::generic_liquidation<double>;
};

int main() {
    margincall::margin_call_calculator<host> calc;
    return static_cast<int>(sizeof(calc) == 0);
}
