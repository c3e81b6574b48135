#include <doctest/doctest.h>
#include "wembed/model.h"
TEST_CASE("sigmoid table") { CHECK(wembed::sigmoidTable().sigmoid(0.f) == doctest::Approx(0.5).epsilon(0.01)); }
