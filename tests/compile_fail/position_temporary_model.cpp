// Must not compile: a position built from a temporary tier_schedule. The position keeps a
// pointer to its model, and the temporary dies at the end of the statement; the rvalue
// overload is deleted, so the dangling pointer is a compile error (docs/margin.md, "Positions").
// expect: (use of deleted function|call to deleted constructor of) .*margincall::position<
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>

using schedule = margincall::tier_schedule<double>;
using linear = margincall::linear_contract<double>;

int main() {
    const margincall::position<linear, schedule> p(schedule({{0, 2000000, 100, 0.005}}),
                                                   {.leverage = 50, .quantity = 1.0, .entry_price = 20000.0});
    return static_cast<int>(p.maintenance_margin(20000.0) > 0);
}
