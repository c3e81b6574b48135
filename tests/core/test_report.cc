#include "doctest/doctest.h"
#include "wembed/core/report.h"

using namespace wembed;

TEST_CASE("report: an empty Reporter is silent; a given one receives messages and status lines apart") {
  Reporter silent;
  silent.say("nobody hears this");
  silent.show("nor this");
  CHECK_FALSE(silent.showsStatus());

  std::vector<std::string> messages, status;
  Reporter r;
  r.message = [&](const std::string& m) { messages.push_back(m); };
  r.status = [&](const std::string& s) { status.push_back(s); };
  r.show("50%");
  r.say("done");
  CHECK(r.showsStatus());
  CHECK(messages == std::vector<std::string>{"done"});
  CHECK(status == std::vector<std::string>{"50%"});
}

TEST_CASE("report: stringPrintf formats like printf, at any length") {
  CHECK(stringPrintf("%d words, %.2f s", 12, 1.5) == "12 words, 1.50 s");
  CHECK(stringPrintf("%s", "") == "");
  const std::string longer(5000, 'x');
  CHECK(stringPrintf("<%s>", longer.c_str()) == "<" + longer + ">");
}
