// test_llmnas.cpp: checks of the C++ wrapper, run by `make test`. Prints "N passed, M failed" and exits non-zero on
// any failure.
#include <llmnas.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

static int passed = 0, failed = 0;

static void expect(bool condition, const char *what) {
    if (condition) {
        passed++;
    } else {
        failed++;
        std::printf("FAILED: %s\n", what);
    }
}

/// The objects of a JSON array of objects, as text, split at the braces of depth one.
static std::vector<std::string> top_level_objects(const std::string &json) {
    std::vector<std::string> objects;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < json.size(); ++i) {
        if (json[i] == '{' && depth++ == 0) start = i;
        if (json[i] == '}' && --depth == 0) objects.push_back(json.substr(start, i - start + 1));
    }
    return objects;
}

template <typename F>
static llmnas_status status_of(F &&call) {
    try {
        call();
    } catch (const llmnas::Error &e) {
        return e.status();
    }
    return LLMNAS_OK;
}

int main() {
    const std::string a00 =
        R"({"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],)"
        R"("encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,)"
        R"("decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"decoder_ende_attention_heads":[4],)"
        R"("decoder_arbitrary_ende_attn":[2]})";
    auto space = llmnas::Space::builtin("hat-wmt14ende");
    expect(space.feature_count() == 10, "HAT spaces have 10 features");
    expect(space.feature_names_json().find("\"decoder_arbitrary_ende_attn_avg\"") != std::string::npos, "feature names");
    auto features = space.features(a00);
    expect(features.size() == 10 && features[0] == 512.0f && features[6] == 3072.0f, "features of a00");
    expect(space.stats(a00).find("\"params\":22199936") != std::string::npos, "params of a00");
    expect(space.mutate(a00, 0.0, 1) == a00, "mutation with probability 0 is the identity");
    expect(space.sample(5, 3) == space.sample(5, 3), "sampling is fixed by the seed");
    expect(space.features_batch(space.sample(5, 3)).size() == 30, "batch features: 3 rows of 10");
    expect(space.features_batch("[]").empty(), "batch features of no architecture");

    auto copy = llmnas::Space::from_json(space.to_json());
    expect(copy.to_json() == space.to_json(), "a space survives JSON");
    auto moved = std::move(copy);
    expect(moved.get() != nullptr && copy.get() == nullptr, "a moved space owns the handle");

    expect(status_of([&] { space.validate("{}"); }) == LLMNAS_INVALID_ARCH, "empty architecture");
    expect(status_of([&] { space.validate("{"); }) == LLMNAS_MALFORMED_JSON, "malformed JSON");
    expect(status_of([&] { space.mutate(a00, 2.0, 1); }) == LLMNAS_INVALID_ARGUMENT, "probability above 1");
    expect(status_of([] { llmnas::Space::builtin("nope"); }) == LLMNAS_NOT_FOUND, "unknown space");
    expect(status_of([] { llmnas::Space::from_json("{}"); }) == LLMNAS_INVALID_SPACE, "empty space");
    auto graph = llmnas::Space::builtin("nas-bench-graph");
    expect(status_of([&] { graph.stats(R"({"link":"0-0-0-0","ops":["gcn","gcn","gcn","gcn"]})"); }) ==
               LLMNAS_UNSUPPORTED, "no cost model for nas-bench-graph");
    try {
        space.validate(R"({"encoder_embed_dim": 700})");
    } catch (const llmnas::Error &e) {
        expect(std::string(e.what()).find("700") != std::string::npos, "the message names the value");
    }

    // MLPs, latency predictors, metrics and the protocol's baselines.
    std::vector<float> x, y;
    for (int i = 0; i < 64; i++) {
        x.push_back(static_cast<float>(i % 8));
        x.push_back(static_cast<float>(i / 8));
        y.push_back(static_cast<float>(i % 8 + i / 8));
    }
    auto mlp = llmnas::MLP::train(R"({"hidden": [16], "steps": 200, "learning_rate": 0.01})", x, y, 2);
    auto predicted = mlp.predict(x, 2);
    expect(predicted.size() == 64, "one prediction per row");
    mlp.save("build/examples/wrapper.mlp");
    expect(llmnas::MLP::load("build/examples/wrapper.mlp").predict(x, 2) == predicted, "a saved model predicts the same");
    expect(status_of([&] { mlp.predict(x, 3); }) == LLMNAS_INVALID_ARGUMENT, "rows of the wrong width");
    expect(status_of([] { llmnas::MLP::load("build/examples/missing.mlp"); }) == LLMNAS_IO_ERROR, "missing model file");
    auto latency = llmnas::MLP::latency_predictor("wmt14ende-titanxp");
    auto ms = latency.predict(space.features(a00), 10);
    expect(ms.size() == 1 && ms[0] > 10 && ms[0] < 500, "a00's latency on a TITAN Xp is plausible");
    expect(status_of([] { llmnas::MLP::latency_predictor("v100"); }) == LLMNAS_NOT_FOUND, "unknown latency predictor");
    expect(llmnas::kendall_tau({1, 2, 3}, {1, 3, 2}) > 0.33 && llmnas::kendall_tau({1, 2, 3}, {1, 3, 2}) < 0.34, "tau-b");
    expect(llmnas::metrics({1, 2}, {2, 2}).find("\"mae\":0.5") != std::string::npos, "MAE");
    expect(llmnas::build_prompt(space, a00, "[]").find("BLEU:") != std::string::npos, "a prompt ends in the open score");
    expect(llmnas::eval_paper_protocol("data/llmpp-wmt").find("HAT supernet") != std::string::npos, "protocol baselines");
    expect(status_of([] { llmnas::LLM(R"({"temperature": 1})"); }) == LLMNAS_INVALID_ARGUMENT, "a client needs a model");

    llmnas::Search search(graph, R"({"iterations": 3, "seed": 5, "checkpoint": "build/examples/wrapper.ckpt"})");
    std::string estimator, batch = search.ask(&estimator);
    int batches = 0;
    for (; batch != "[]"; batch = search.ask(&estimator), batches++) {
        std::vector<double> scores;
        for (std::size_t at = batch.find("\"ops\""); at != std::string::npos; at = batch.find("\"ops\"", at + 1)) {
            scores.push_back(static_cast<double>(batch.compare(at + 7, 5, "\"gcn\"") == 0));  /* first op is gcn */
        }
        search.tell(scores);
    }
    expect(estimator.empty() && batches == 3, "three batches, then a finished search");
    expect(search.best_json().find("\"finished\":true") != std::string::npos, "the best of a finished search");
    expect(llmnas::Search::resume("build/examples/wrapper.ckpt").history_json() == search.history_json(), "resume");
    expect(llmnas::Search::resume("build/examples/wrapper.ckpt").trials_json() == search.trials_json() &&
               search.trials_json().find("\"parent\":true") != std::string::npos, "trials survive a resume");
    expect(status_of([&] { search.tell({1.0}); }) == LLMNAS_INVALID_ARGUMENT, "a tell after the end");
    expect(status_of([&] { llmnas::Search(graph, R"({"iterations": 0})"); }) == LLMNAS_INVALID_ARGUMENT, "zero iterations");

    // The rest of the interface: versions, statuses, latency training, distillation, bind_llm, constraints, run.
    expect(llmnas::abi_version() == LLMNAS_ABI_VERSION, "header and library agree on the ABI");
    expect(llmnas::status_string(LLMNAS_NOT_FOUND).rfind("LLMNAS_NOT_FOUND: ", 0) == 0, "a status names itself");
    expect(llmnas::latency_predictor_names_json().find("\"wmt14ende-titanxp\"") != std::string::npos, "latency names");
    std::string report;
    auto trained = llmnas::MLP::train_latency_predictor("data/hat-latency/wmt14ende_gpu_titanxp_all.csv",
                                                        R"({"hidden": [8], "steps": 20})", &report);
    expect(report.find("\"test_rmse_ms\"") != std::string::npos && trained.predict(space.features(a00), 10).size() == 1,
           "a latency predictor trained from a CSV, with its report");
    llmnas::LLM dead(R"({"model": "m", "base_url": "http://127.0.0.1:9/v1", "retries": 0, "timeout_seconds": 5})");
    expect(status_of([&] {
               llmnas::distill_llmpp(dead, space, "[]", "data/llmpp-wmt/unlabeled_archs.jsonl", 2, 0);
           }) == LLMNAS_BAD_ANSWER, "distillation without an answering server has no labels");
    std::string one = "[" + a00 + "]";
    std::string estimate = dead.estimate_json(space, one, 1, "[]");
    expect(estimate.find("\"requests\":1") != std::string::npos && estimate.find("\"token_source\":\"rule\"") != std::string::npos,
           "an estimate without a tokenizer or answers uses the bytes-per-token rule");

    expect(status_of([&] { dead.propose_json(space, "[]"); }) == LLMNAS_INVALID_ARGUMENT, "proposals need a demonstration");
    std::string demo = R"([{"architecture": )" + a00 + R"(, "score": 25.0}])";
    expect(status_of([&] { dead.propose_json(space, demo, R"({"count": 2, "rounds": 1})"); }) == LLMNAS_CONNECTION_FAILED,
           "proposals from a dead server end with the request's error");

    expect(status_of([&] { dead.validate_json(space, demo); }) == LLMNAS_INVALID_ARGUMENT, "validation needs 3 demonstrations");
    auto spread = dead.predict_spread(space, one, 1, demo);
    expect(spread.size() == 1 && spread[0].status == LLMNAS_CONNECTION_FAILED && std::isnan(spread[0].stddev),
           "a failed item has no spread");
    std::string one_demo = demo.substr(1, demo.size() - 2);
    std::string validation = dead.validate_json(space, "[" + one_demo + "," + one_demo + "," + one_demo + "]", R"({"bootstrap": 10})");
    expect(validation.find("\"compared\":0") != std::string::npos && validation.find("\"first_failure\"") != std::string::npos,
           "a validation against a dead server compares nothing and names the failure");
    std::string three_demos = "[" + one_demo + "," + one_demo + "," + one_demo + "]";
    std::string choice = dead.choose_json(space, three_demos, R"({"max_requests": 0})");
    expect(choice.find("\"task_options\":null") != std::string::npos && choice.find("\"requests\":0") != std::string::npos,
           "a choice with no requests to spend picks among the cost lines and sends nothing");
    expect(status_of([&] { dead.choose_json(space, three_demos, R"({"max_requests": -1})"); }) == LLMNAS_INVALID_ARGUMENT,
           "a negative budget is refused");

    llmnas::Search hosted(graph, R"({"iterations": 2, "seed": 1, "constraints": [{"kind": "host", "name": "mem", "max": 3}]})");
    expect(status_of([&] { hosted.bind_llm("llmpp", dead); }) == LLMNAS_NOT_FOUND, "no LLM estimator of that name");
    struct Refused : std::runtime_error {
        Refused() : std::runtime_error("refused") {}
    };
    hosted.bind_constraint("mem", [](const std::string &) -> double { throw Refused(); });
    bool rethrown = false;
    try {
        hosted.ask();
    } catch (const Refused &) {
        rethrown = true;
    }
    expect(rethrown, "a constraint's exception comes back as itself");
    hosted.bind_constraint("mem", [](const std::string &arch) { return arch.find("gat") != std::string::npos ? 5.0 : 1.0; });
    auto count_gcn = [](const std::string &candidates, std::size_t n) {
        std::vector<double> scores;
        for (std::size_t at = candidates.find("\"ops\""); at != std::string::npos; at = candidates.find("\"ops\"", at + 1)) {
            scores.push_back(static_cast<double>(candidates.compare(at + 7, 5, "\"gcn\"") == 0));
        }
        scores.resize(n);
        return scores;
    };
    bool estimator_rethrown = false;
    try {
        hosted.run({{"host", [](const std::string &, std::size_t) -> std::vector<double> { throw Refused(); }}});
    } catch (const Refused &) {
        estimator_rethrown = true;
    }
    expect(estimator_rethrown, "an estimator's exception comes back as itself");
    hosted.run({{"host", count_gcn}});
    expect(hosted.best_json().find("\"finished\":true") != std::string::npos &&
               hosted.best_json().find("gat") == std::string::npos, "run finishes the search under the host constraint");

    // A user space whose cost a host function counts: stats, a params constraint, a resumed search binding it again.
    auto own = llmnas::Space::from_json(
        R"({"name": "head", "task": "a classifier head", "metric": {"name": "accuracy", "min": 0, "max": 100},)"
        R"("hyperparameters": [{"name": "units", "meaning": "hidden units", "choices": [8, 16, 32, 64, 96, 128, 256, 512]}],)"
        R"("cost_model": {"kind": "host", "name": "head_cost"}})");
    auto units_of = [](const std::string &arch) { return std::stod(arch.substr(arch.find(':') + 1)); };
    llmnas::CostFunction head_cost = [&](const std::string &arch) {
        double units = units_of(arch);
        return llmnas::Cost{513 * units + 10 * units + 10, 2 * (512 * units + 10 * units)};
    };
    expect(status_of([&] { own.stats(R"({"units": 64})"); }) == LLMNAS_INVALID_ARGUMENT, "an unbound host cost");
    expect(status_of([&] { own.with_cost("other", head_cost); }) == LLMNAS_NOT_FOUND, "a host cost of another name");
    auto costed = own.with_cost("head_cost", head_cost);
    expect(costed.stats(R"({"units": 64})").find("\"params\":33482") != std::string::npos, "stats by the host cost");
    bool cost_rethrown = false;
    try {
        own.with_cost("head_cost", [](const std::string &) -> llmnas::Cost { throw Refused(); }).stats(R"({"units": 64})");
    } catch (const Refused &) {
        cost_rethrown = true;
    }
    expect(cost_rethrown, "a host cost's exception comes back as itself");
    const std::string limited = R"({"iterations": 3, "population": 4, "parents": 2, "mutations": 1, "crossovers": 1,)"
                                R"("seed": 2, "checkpoint": "build/examples/head.ckpt",)"
                                R"("constraints": [{"kind": "params", "max": 70000}]})";
    auto by_units = [&](const std::string &candidates, std::size_t n) {
        std::vector<double> scores;
        for (const std::string &arch : top_level_objects(candidates)) scores.push_back(units_of(arch));
        scores.resize(n);
        return scores;
    };
    {
        llmnas::Search first(costed, limited);
        auto batch = first.ask_batch();
        first.tell(by_units(batch.candidates_json, batch.count));
    }
    auto resumed = llmnas::Search::resume("build/examples/head.ckpt");
    expect(status_of([&] { resumed.ask(); }) == LLMNAS_INVALID_ARGUMENT, "a resumed search needs its cost again");
    resumed.bind_cost("head_cost", head_cost);
    resumed.run({{"host", by_units}});
    expect(resumed.best_json().find(R"("units":128)") != std::string::npos, "the best under 70,000 params");

    // A host featurizer: the features every MLP reads come from the host's function; what it throws comes back.
    auto featured = llmnas::Space::from_json(
        R"({"name": "head", "task": "a classifier head", "metric": {"name": "accuracy", "min": 0, "max": 100},)"
        R"("hyperparameters": [{"name": "units", "meaning": "hidden units", "choices": [64, 128]}],)"
        R"("featurizer": {"name": "log_units", "count": 2}})");
    expect(status_of([&] { featured.features(R"({"units": 64})"); }) == LLMNAS_INVALID_ARGUMENT, "an unbound featurizer");
    auto logs = featured.with_featurizer("log_units", [&](const std::string &arch) {
        float units = static_cast<float>(units_of(arch));
        return std::vector<float>{units, std::log2(units)};
    });
    expect(logs.features(R"({"units": 128})") == std::vector<float>{128.0f, 7.0f}, "features by the host featurizer");
    bool short_rethrown = false;
    try {
        featured.with_featurizer("log_units", [](const std::string &) { return std::vector<float>{1.0f}; })
            .features(R"({"units": 64})");
    } catch (const llmnas::Error &e) {
        short_rethrown = e.status() == LLMNAS_INVALID_ARGUMENT && std::string(e.what()).find("returned 1") != std::string::npos;
    }
    expect(short_rethrown, "a featurizer's wrong count comes back as an Error naming it");

    // A framework's own buffers, without copies; batches with their count.
    std::vector<float> buffer(3 * space.feature_count());
    std::string three = space.sample(9, 3);
    expect(space.features_batch(three, buffer.data(), buffer.size()) == 3 && buffer == space.features_batch(three),
           "features into a caller-owned buffer");
    expect(status_of([&] { space.features_batch(three, buffer.data(), 2); }) == LLMNAS_BUFFER_TOO_SMALL, "too small");
    std::vector<float> out(64);
    mlp.predict(x.data(), 64, 2, out.data());
    expect(out == predicted, "predictions into a caller-owned buffer");
    auto from_pointers = llmnas::MLP::train(R"({"hidden": [16], "steps": 200, "learning_rate": 0.01})", x.data(), y.data(), 64, 2);
    expect(from_pointers.predict(x, 2) == predicted, "training from pointers gives the same model");
    double xs[] = {1, 2, 3}, ys[] = {1, 3, 2};
    expect(llmnas::kendall_tau(xs, ys, 3) == llmnas::kendall_tau({1, 2, 3}, {1, 3, 2}), "tau from pointers");
    llmnas::Search counted(graph, R"({"iterations": 2, "population": 7, "parents": 2, "mutations": 2, "crossovers": 2})");
    for (auto batch = counted.ask_batch(); batch.count > 0; batch = counted.ask_batch()) {
        expect(batch.estimator == "host", "the batch names its estimator");
        std::vector<double> scores(batch.count, 1.0);
        counted.tell(scores.data(), scores.size());
    }
    expect(counted.best_json().find("\"finished\":true") != std::string::npos, "a search driven by counted batches");
    // A cascade: the proxy screens pools of 3x the children, the best 2 reach the supernet; run serves both.
    llmnas::Search cascaded(graph, R"({"iterations": 3, "population": 6, "parents": 2, "mutations": 2, "crossovers": 2,
        "estimators": [{"name": "proxy"}, {"name": "supernet"}],
        "schedule": [{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "proxy", "pool": 3, "keep_best": 2}}]})");
    std::vector<std::string> asked;
    for (auto batch = cascaded.ask_batch(); batch.count > 0; batch = cascaded.ask_batch()) {
        asked.push_back(batch.estimator);
        std::vector<double> scores(batch.count, 1.0);
        cascaded.tell(scores.data(), scores.size());
    }
    expect(asked == std::vector<std::string>{"proxy", "supernet", "proxy", "supernet", "proxy", "supernet"} &&
               cascaded.history_json().find(R"("cascade":{"screen":"proxy")") != std::string::npos,
           "a cascade asks its screen before its estimator and reports each iteration's screening");
    // A whole-space cascade: the Gaussian process screens all 26,206 networks; only its best 4 reach the supernet.
    llmnas::Search whole(graph, R"({"iterations": 3, "population": 4, "parents": 1, "mutations": 0, "crossovers": 0,
        "seed": 5, "estimators": [{"name": "supernet"}, {"name": "gp", "kind": "gp", "on": "supernet"}],
        "schedule": [{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space", "keep_best": 4}}]})");
    std::size_t whole_batches = 0;
    for (auto batch = whole.ask_batch(); batch.count > 0; batch = whole.ask_batch()) {
        expect(batch.estimator == "supernet" && batch.count == 4, "a whole-space screen asks the host its best 4 only");
        std::vector<double> scores(batch.count);
        for (std::size_t i = 0; i < batch.count; ++i) scores[i] = static_cast<double>(whole_batches * 4 + i);
        whole.tell(scores.data(), scores.size());
        ++whole_batches;
    }
    expect(whole_batches == 3 && whole.history_json().find(R"("pool":26206)") != std::string::npos,
           "the whole space is screened: 3 batches, the first from a pool of 26,206");
    // A screen the host drives: told a score, it proposes others; an MLP of another feature count is no prior.
    llmnas::Screen host_screen(graph, R"({"seed": 2})");
    expect(host_screen.pool_json() == R"({"size":26206,"enumerated":true})", "the screen's pool is the whole space");
    std::string first = top_level_objects(host_screen.choose("[]", 1))[0];
    std::string first_arch = first.substr(first.find("{", 1), first.find("},\"score\"") - first.find("{", 1) + 1);
    auto proposals = top_level_objects(host_screen.choose("[{\"architecture\": " + first_arch + ", \"score\": 0.5}]", 3));
    expect(proposals.size() == 3 && proposals[0].find(first_arch) == std::string::npos,
           "the screen proposes three others once the first is scored");
    expect(status_of([&] { llmnas::Screen wrong(graph, "", &latency); }) == LLMNAS_INVALID_ARGUMENT,
           "a prior of another space's features is refused");
    // Spreads told by the screen: the one it is least sure of reaches the supernet beside its best.
    llmnas::Search uncertain(graph, R"({"iterations": 1, "population": 6, "parents": 2, "mutations": 2, "crossovers": 2,
        "estimators": [{"name": "proxy"}, {"name": "supernet"}], "schedule": [{"estimator": "supernet", "fraction": [0, 1],
        "cascade": {"screen": "proxy", "pool": 2, "keep_best": 1, "keep_uncertain": 1}}]})");
    auto screen = uncertain.ask_batch();
    std::vector<double> scores(screen.count, 1.0), spreads(screen.count, 0.0);
    scores[0] = 2.0;
    spreads[3] = 4.0;
    expect(status_of([&] { uncertain.tell(scores, std::vector<double>{1.0}); }) == LLMNAS_INVALID_ARGUMENT,
           "spreads of another length are refused");
    uncertain.tell(scores, spreads);
    auto sent = uncertain.ask_batch();
    auto pool = top_level_objects(screen.candidates_json);
    expect(sent.estimator == "supernet" && sent.count == 2 &&
               sent.candidates_json.find(pool[0]) != std::string::npos && sent.candidates_json.find(pool[3]) != std::string::npos,
           "the best and the widest spread reach the supernet");
    // The same through run(): a SpreadEstimator screen; the supernet tells no spreads.
    llmnas::Search spread_run(graph, R"({"iterations": 1, "population": 6, "parents": 2, "mutations": 2, "crossovers": 2,
        "estimators": [{"name": "proxy"}, {"name": "supernet"}], "schedule": [{"estimator": "supernet", "fraction": [0, 1],
        "cascade": {"screen": "proxy", "pool": 2, "keep_best": 1, "keep_uncertain": 1}}]})");
    std::string reached;
    spread_run.run(std::map<std::string, llmnas::Search::SpreadEstimator>{
        {"proxy", [&](const std::string &, std::size_t) { return llmnas::Search::Scored{scores, spreads}; }},
        {"supernet", [&](const std::string &candidates, std::size_t n) {
             reached = candidates;
             return llmnas::Search::Scored{std::vector<double>(n, 1.0), {}};
         }}});
    expect(reached.find(pool[0]) != std::string::npos && reached.find(pool[3]) != std::string::npos &&
               spread_run.trials_json().find("\"spread\":4") != std::string::npos,
           "run tells a SpreadEstimator's spreads: the widest reaches the supernet, the trials hold it");
    expect(llmnas::detail::array_length("[]") == 0 && llmnas::detail::array_length(R"([{"a":[1,2]},"x,y",3])") == 3,
           "array lengths");

    std::printf("llmnas.hpp: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
