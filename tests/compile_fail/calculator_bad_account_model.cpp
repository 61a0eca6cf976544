// Must not compile: the host's account-level margin model returns a bare number instead of the
// account's requirement, and the calculator says so, naming the slot, the concept and the member.
// expect: Policies::margin_model is not a margincall::account_margin_model: it lacks .account_requirement<Real> requirement
#include <margincall/calculator.hpp>

#include <span>

struct flat_account_model {  // one figure for the whole account: not an account_requirement
    template <class Account>
    double requirement(const Account&, std::span<const double>) const { return 1000.0; }
};
struct host : margincall::default_policies<double> {
    using margin_model = flat_account_model;
    using liquidation_solver = margincall::model_liquidation<double>;
};

int main() {
    margincall::margin_call_calculator<host> calc;
    return static_cast<int>(sizeof(calc) == 0);
}
