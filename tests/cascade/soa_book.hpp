#pragma once
// A flat-rate liquidation_book built row by row (structure of arrays), shared by the cascade tests.
#include <margincall/cascade/liquidation_book.hpp>

#include <vector>

namespace cascade_test {

struct soa {
    std::vector<double> q, e, c, m;
    void add(double quantity, double entry, double collateral, double rate) {
        q.push_back(quantity);
        e.push_back(entry);
        c.push_back(collateral);
        m.push_back(rate);
    }
    [[nodiscard]] margincall::liquidation_book<double> book() const { return margincall::liquidation_book<double>(q, e, c, m); }
};

}  // namespace cascade_test
