// test_metrics_log.cpp — metrics.jsonl lines: the fields of each record type in their
// order, rounded as documented; lines the previous (hand-written) writer produced read
// back with their values; a round trip keeps every rounded value.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_util.hpp"
#include "training/metrics_log.hpp"

namespace nmt {
namespace {

MetricsRecord train_record() {
  MetricsRecord r;
  r.type = "train";
  r.step = 1200;
  r.epoch = 3;
  r.time = 123.45678;
  r.loss = 2.3456789;
  r.lr = 0.0005;
  r.tokens_per_second = 4696.6449;
  r.grad_norm = 0.12345678;
  return r;
}

TEST(MetricsLog, EachTypeWritesItsFieldsInOrderRounded) {
  EXPECT_EQ(metrics_json(train_record()),
            "{\"type\":\"train\",\"step\":1200,\"epoch\":3,\"time\":123.457,\"loss\":2.34568,\"lr\":0.0005,"
            "\"tokens_per_s\":4696.6,\"grad_norm\":0.123457}");
  MetricsRecord valid;
  valid.type = "valid";
  valid.step = 1500;
  valid.epoch = 4;
  valid.time = 200.5;
  valid.ppl = 9.6543219;
  valid.bleu = 31.291234;
  valid.chrf = 55.123456;
  valid.exact_match = 25;
  valid.lr = 1e-06;
  EXPECT_EQ(metrics_json(valid),
            "{\"type\":\"valid\",\"step\":1500,\"epoch\":4,\"time\":200.5,\"dev_ppl\":9.65432,\"dev_bleu\":31.2912,"
            "\"dev_chrf\":55.1235,\"dev_exact_match\":25.0,\"lr\":1e-06}");
  // The test record: the same scores under the test_ prefix, and no lr.
  MetricsRecord test = valid;
  test.type = "test";
  test.time = 201;
  EXPECT_EQ(metrics_json(test),
            "{\"type\":\"test\",\"step\":1500,\"epoch\":4,\"time\":201.0,\"test_ppl\":9.65432,\"test_bleu\":31.2912,"
            "\"test_chrf\":55.1235,\"test_exact_match\":25.0}");
  const MetricsRecord back = parse_metrics_json(metrics_json(test));
  EXPECT_EQ(back.bleu, 31.2912);
  EXPECT_EQ(back.chrf, 55.1235);
  EXPECT_EQ(back.exact_match, 25.0);
  EXPECT_EQ(back.ppl, 9.65432);
}

TEST(MetricsLog, LinesOfThePreviousWriterReadBack) {
  const MetricsRecord train = parse_metrics_json(
      "{\"type\":\"train\",\"step\":20,\"epoch\":1,\"time\":37.747,\"loss\":3.45609,\"lr\":0.002,"
      "\"tokens_per_s\":1058.8,\"grad_norm\":1.03331}");
  EXPECT_EQ(train.type, "train");
  EXPECT_EQ(train.step, 20);
  EXPECT_EQ(train.epoch, 1);
  EXPECT_EQ(train.time, 37.747);
  EXPECT_EQ(train.loss, 3.45609);
  EXPECT_EQ(train.lr, 0.002);
  EXPECT_EQ(train.tokens_per_second, 1058.8);
  EXPECT_EQ(train.grad_norm, 1.03331);
  const std::string old_valid =
      "{\"type\":\"valid\",\"step\":20,\"epoch\":1,\"time\":41.460,\"dev_ppl\":16.2827,\"dev_bleu\":0.0000,"
      "\"dev_exact_match\":0,\"lr\":0.002}";
  const MetricsRecord valid = parse_metrics_json(old_valid);
  EXPECT_EQ(valid.ppl, 16.2827);
  EXPECT_EQ(valid.bleu, 0.0);
  EXPECT_EQ(valid.lr, 0.002);
  // The same values; only the text of numbers is nlohmann's shortest form.
  EXPECT_EQ(metrics_json(valid),
            "{\"type\":\"valid\",\"step\":20,\"epoch\":1,\"time\":41.46,\"dev_ppl\":16.2827,\"dev_bleu\":0.0,"
            "\"dev_chrf\":0.0,\"dev_exact_match\":0.0,\"lr\":0.002}");
}

TEST(MetricsLog, RoundTripKeepsTheRoundedValues) {
  const MetricsRecord written = train_record();
  const MetricsRecord read = parse_metrics_json(metrics_json(written));
  EXPECT_EQ(read.step, written.step);
  EXPECT_EQ(read.time, 123.457);
  EXPECT_EQ(read.loss, 2.34568);
  EXPECT_EQ(read.tokens_per_second, 4696.6);
  EXPECT_EQ(metrics_json(read), metrics_json(written));
}

TEST(MetricsLog, NonFiniteValuesAreNullAndReadAsNaN) {
  MetricsRecord r = train_record();
  r.grad_norm = std::numeric_limits<double>::infinity();
  const std::string line = metrics_json(r);
  EXPECT_NE(line.find("\"grad_norm\":null"), std::string::npos) << line;
  EXPECT_TRUE(std::isnan(parse_metrics_json(line).grad_norm));
}

TEST(MetricsLog, BadLinesThrow) {
  for (const std::string line : {"{\"type\":\"train\",\"step\":2", "{\"step\":2}", "{\"type\":\"train\",\"loss\":\"high\"}"})
    EXPECT_EQ(test::message_of<std::runtime_error>([&] { parse_metrics_json(line); }).rfind("bad metrics line '" + line + "': ", 0),
              0u)
        << line;
}

}  // namespace
}  // namespace nmt
