// Twin of compile_fail/calculator_bad_account_model.cpp: the same host model returning the
// account's requirement (IM = MM = liquidation level = 1,000 on the cross pool) compiles.
#include <margincall/calculator.hpp>

#include <span>

struct flat_account_model {
    template <class Account>
    margincall::account_requirement<double> requirement(const Account& a, std::span<const double>) const {
        margincall::account_requirement<double> r;
        r.cross = {1000.0, 1000.0, 1000.0};
        r.pools.assign(a.positions().size(), r.cross);
        r.initial_margin = r.maintenance_margin = 1000.0;
        return r;
    }
};
struct host : margincall::default_policies<double> {
    using margin_model = flat_account_model;
    using liquidation_solver = margincall::model_liquidation<double>;
};

int main() {
    margincall::margin_call_calculator<host> calc;
    return static_cast<int>(sizeof(calc) == 0);
}
