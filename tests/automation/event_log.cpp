// Tests of include/margincall/automation/event_log.hpp.
#include <margincall/automation/event_log.hpp>

#include <string>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("event log keeps order and sequence numbers across clear()", "[automation]") {
    event_log<double> log;
    margin_event<double> e;
    e.kind = event_kind::top_up;
    e.amount = 10;
    CHECK(log.record(e).sequence == 0);
    e.kind = event_kind::alert_raised;
    CHECK(log.record(e).sequence == 1);
    REQUIRE(log.size() == 2);
    CHECK(log.events()[0].kind == event_kind::top_up);
    CHECK(log.events()[1].kind == event_kind::alert_raised);
    log.clear();
    CHECK(log.size() == 0);
    CHECK(log.record(e).sequence == 2);
    CHECK(std::string(to_string(event_kind::reduction_exhausted)) == "reduction_exhausted");
    CHECK(std::string(to_string(alert_level::margin_call)) == "margin_call");
}
