// Unit tests for the route53 provider: SigV4 against every stored vector, the XML reader on
// AWS's error shapes and hostile input, credentials precedence, the fake's rules, and the
// provider against the in-process fake (loopback only, no real sleeping: pauses are recorded).
#include "providers/route53/api.hpp"
#include "providers/route53/aws_error.hpp"
#include "providers/route53/credentials.hpp"
#include "providers/route53/route53_provider.hpp"
#include "providers/route53/sigv4.hpp"
#include "providers/route53/txt_changes.hpp"
#include "providers/route53/xml.hpp"

#include "config/load.hpp"
#include "crypto/digest.hpp"
#include "http/url.hpp"
#include "tests/fakes/route53/fake_route53.hpp"
#include "tests/fakes/route53/sigv4_verify.hpp"
#include "tests/fakes/route53/zone_store.hpp"
#include "json/json.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace wildcert;
using namespace wildcert::providers::route53;
namespace fake = wildcert::fakes::route53;
namespace fs = std::filesystem;

namespace {

const fs::path k_vectors = fs::path(WILDCERT_SOURCE_ROOT) / "tests" / "vectors" / "sigv4";
const std::string k_example_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// 2015-08-30T12:36:00Z, the time of every vector.
const auto k_vector_time = std::chrono::system_clock::from_time_t(1440938160);

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string chomp(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

// A classic suite .req: request line (the target may hold spaces: split on the last
// " HTTP/1.1"), "Name:value" headers with folded continuation lines, a blank line, the body.
sigv4::Request parse_suite_request(const std::string& text) {
    sigv4::Request request;
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    const auto space = line.find(' ');
    const auto version = line.rfind(" HTTP/1.1");
    request.method = line.substr(0, space);
    request.target = line.substr(space + 1, version - space - 1);
    while (std::getline(lines, line)) {
        if (line.empty())
            break;
        if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
            request.headers.back().second += "\n" + line;
            continue;
        }
        const auto colon = line.find(':');
        request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    std::string body;
    std::getline(lines, body, '\0');
    request.payload = body;
    return request;
}

std::string header_value(const sigv4::Request& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name)
            return value;
    }
    return {};
}

} // namespace

TEST_SUITE("route53") {

    // ---------------------------------------------------------------------------------------------
    // SigV4

    TEST_CASE("sigv4: signing keys match the known answers") {
        CHECK(crypto::hex_lower(
                  sigv4::signing_key(k_example_secret, {"20150830", "us-east-1", "service"})) ==
              "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75");
        CHECK(crypto::hex_lower(
                  sigv4::signing_key(k_example_secret, {"20150830", "us-east-1", "route53"})) ==
              "21210f8f2475c398f12e1c52c3eb8e79780bcdf98b678165f9ad1118cc8770e4");
        CHECK(crypto::hex_lower(
                  sigv4::signing_key(k_example_secret, {"20120215", "us-east-1", "iam"})) ==
              "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
        CHECK(sigv4::format_amz_date(k_vector_time) == "20150830T123600Z");
    }

    TEST_CASE("sigv4: every case of the classic AWS test suite") {
        const auto suite = k_vectors / "aws4_testsuite";
        REQUIRE_MESSAGE(fs::is_directory(suite), "vectors missing: " << suite);
        int cases = 0;
        for (const auto& entry : fs::recursive_directory_iterator(suite)) {
            if (entry.path().extension() != ".req")
                continue;
            const auto base = entry.path().parent_path() / entry.path().stem();
            CAPTURE(base.string());
            auto request = parse_suite_request(read_text(entry.path()));
            // get-vanilla-with-session-token: the signer adds the token (see the .sreq) and signs
            // it; post-sts-header-after adds it after signing, so there it stays out.
            const auto canonical = read_text(base.string() + ".creq");
            const auto sent = parse_suite_request(read_text(base.string() + ".sreq"));
            const auto token = header_value(sent, "X-Amz-Security-Token");
            if (!token.empty() && header_value(request, "X-Amz-Security-Token").empty() &&
                canonical.find("x-amz-security-token:") != std::string::npos)
                request.headers.emplace_back("X-Amz-Security-Token", token);
            const auto amz_date = header_value(request, "X-Amz-Date");
            REQUIRE(amz_date.size() == 16);
            const auto signature = sigv4::sign(request, "AKIDEXAMPLE", k_example_secret, amz_date,
                                               "us-east-1", "service");
            CHECK(signature.canonical_request == canonical);
            CHECK(signature.string_to_sign == read_text(base.string() + ".sts"));
            CHECK(signature.authorization == chomp(read_text(base.string() + ".authz")));
            ++cases;
        }
        CHECK(cases == 34);
    }

    TEST_CASE("sigv4: every Route 53 case generated with the reference SDK") {
        const auto dir = k_vectors / "route53-botocore";
        REQUIRE(fs::is_directory(dir));
        int cases = 0;
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (!entry.is_directory())
                continue;
            CAPTURE(entry.path().string());
            auto document = json::Document::parse(read_text(entry.path() / "request.json"));
            REQUIRE(document.ok());
            const auto root = document->root();
            auto url = http::parse_url(root.string_member("url").value_or(""));
            REQUIRE(url.ok());
            const bool default_port = url->port == 443 || url->port == 80;
            sigv4::Request request;
            request.method = root.string_member("method").value_or("");
            request.target = url->target;
            request.payload = root.string_member("body").value_or("");
            request.headers.emplace_back(
                "Host", url->host + (default_port ? "" : ":" + std::to_string(url->port)));
            request.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
            const auto before = root.member("headers_before_signing");
            REQUIRE(before.has_value());
            if (const auto type = before->string_member("Content-Type"))
                request.headers.emplace_back("Content-Type", *type);
            else
                CHECK(before->serialize() == "{}");
            if (const auto token = root.string_member("session_token"))
                request.headers.emplace_back("X-Amz-Security-Token", *token);
            CHECK(root.string_member("secret_access_key").value_or("") == k_example_secret);

            const auto signature = sigv4::sign(request, "AKIDEXAMPLE", k_example_secret,
                                               "20150830T123600Z", "us-east-1", "route53");
            CHECK(signature.canonical_request ==
                  chomp(read_text(entry.path() / "canonical-request.txt")));
            CHECK(signature.string_to_sign ==
                  chomp(read_text(entry.path() / "string-to-sign.txt")));
            CHECK(signature.signature == chomp(read_text(entry.path() / "signature.txt")));
            CHECK(signature.authorization == chomp(read_text(entry.path() / "authorization.txt")));
            ++cases;
        }
        CHECK(cases == 6);
    }

    TEST_CASE("sigv4: canonical pieces") {
        CHECK(sigv4::canonical_uri("") == "/");
        CHECK(sigv4::canonical_uri("//example//") == "/example/");
        CHECK(sigv4::canonical_uri("/example/..") == "/");
        CHECK(sigv4::canonical_uri("/a/./b/../c") == "/a/c");
        CHECK(sigv4::canonical_uri("/a%20b") == "/a%2520b"); // non-S3 services encode twice
        CHECK(sigv4::canonical_query("b=2&a=1&a=0&c") == "a=0&a=1&b=2&c=");
        CHECK(sigv4::canonical_query("x=a%20b&y=a+b&z=*!'()") ==
              "x=a%20b&y=a%2Bb&z=%2A%21%27%28%29");
        CHECK(sigv4::uri_encode("_acme-challenge.example.com.") == "_acme-challenge.example.com.");
    }

    TEST_CASE("sigv4: the fake accepts the vectors and refuses skew, other keys and tampering") {
        const auto dir = k_vectors / "route53-botocore" / "r53-change-rrsets-upsert";
        auto document = json::Document::parse(read_text(dir / "request.json"));
        REQUIRE(document.ok());
        fake::Received received;
        received.method = "POST";
        received.target = "/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset/";
        received.body = document->root().string_member("body").value_or("");
        received.headers = {{"Host", "route53.amazonaws.com"},
                            {"Content-Type", "application/xml"},
                            {"X-Amz-Date", "20150830T123600Z"},
                            {"Authorization", chomp(read_text(dir / "authorization.txt"))},
                            {"User-Agent", "unsigned"}};
        const fake::Expected expected{"AKIDEXAMPLE", k_example_secret, "", "us-east-1", "route53"};
        CHECK_FALSE(fake::verify_sigv4(received, expected, k_vector_time).has_value());
        CHECK_FALSE(fake::verify_sigv4(received, expected, k_vector_time + std::chrono::minutes(5))
                        .has_value());

        const auto late =
            fake::verify_sigv4(received, expected, k_vector_time + std::chrono::minutes(6));
        REQUIRE(late.has_value());
        CHECK(late->code == "SignatureDoesNotMatch");
        CHECK(late->message.find("Signature expired: 20150830T123600Z") != std::string::npos);
        const auto early =
            fake::verify_sigv4(received, expected, k_vector_time - std::chrono::minutes(6));
        REQUIRE(early.has_value());
        CHECK(early->message.find("not yet current") != std::string::npos);

        auto other_secret = expected;
        other_secret.secret_access_key = "another-secret";
        const auto bad = fake::verify_sigv4(received, other_secret, k_vector_time);
        REQUIRE(bad.has_value());
        CHECK(bad->code == "SignatureDoesNotMatch");

        auto other_key = expected;
        other_key.access_key_id = "AKIDOTHER";
        CHECK(fake::verify_sigv4(received, other_key, k_vector_time)->code ==
              "InvalidClientTokenId");

        auto needs_token = expected;
        needs_token.session_token = "token";
        CHECK(fake::verify_sigv4(received, needs_token, k_vector_time)->code ==
              "InvalidClientTokenId");

        auto tampered = received;
        tampered.body += " ";
        CHECK(fake::verify_sigv4(tampered, expected, k_vector_time)->code ==
              "SignatureDoesNotMatch");
        tampered = received;
        tampered.headers[0].second = "route53.amazonaws.com:8443";
        CHECK(fake::verify_sigv4(tampered, expected, k_vector_time)->code ==
              "SignatureDoesNotMatch");
        tampered = received;
        tampered.headers.pop_back();
        tampered.headers.pop_back(); // no Authorization
        tampered.headers.emplace_back("User-Agent", "x");
        CHECK(fake::verify_sigv4(tampered, expected, k_vector_time)->code ==
              "MissingAuthenticationToken");
    }

    TEST_CASE("sigv4: the fake verifies a session token signed into the request") {
        const auto dir = k_vectors / "route53-botocore" / "r53-get-change-session-token";
        fake::Received received{"GET",
                                "/2013-04-01/change/C2682N5HXP0BZ4",
                                {{"Host", "route53.amazonaws.com"},
                                 {"X-Amz-Date", "20150830T123600Z"},
                                 {"X-Amz-Security-Token", "AQoDYXdzEPT//////////wEXAMPLEtoken"},
                                 {"Authorization", chomp(read_text(dir / "authorization.txt"))}},
                                ""};
        fake::Expected expected{"AKIDEXAMPLE", k_example_secret,
                                "AQoDYXdzEPT//////////wEXAMPLEtoken", "us-east-1", "route53"};
        CHECK_FALSE(fake::verify_sigv4(received, expected, k_vector_time).has_value());
        expected.session_token = "another-token";
        CHECK(fake::verify_sigv4(received, expected, k_vector_time)->code ==
              "InvalidClientTokenId");
    }

    // ---------------------------------------------------------------------------------------------
    // XML

    TEST_CASE("xml: the ErrorResponse shape") {
        const auto error = parse_aws_error(R"(<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <Error>
    <Type>Sender</Type>
    <Code>Throttling</Code>
    <Message>Rate exceeded</Message>
  </Error>
  <RequestId>bbc0ee24-16ae-4a22-a980-fd2237241d59</RequestId>
</ErrorResponse>)");
        REQUIRE(error.has_value());
        CHECK(error->type == "Sender");
        CHECK(error->code == "Throttling");
        CHECK(error->message == "Rate exceeded");
        CHECK(error->request_id == "bbc0ee24-16ae-4a22-a980-fd2237241d59");
        CHECK(is_retryable(*error));
    }

    TEST_CASE("xml: the bare InvalidChangeBatch shape") {
        const auto error = parse_aws_error(R"(<?xml version="1.0" encoding="UTF-8"?>
<InvalidChangeBatch xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <Messages>
    <Message>Tried to create resource record set duplicate.example.com. type A, but it already exists</Message>
    <Message>Second &amp; last</Message>
  </Messages>
  <RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId>
</InvalidChangeBatch>)");
        REQUIRE(error.has_value());
        CHECK(error->code == "InvalidChangeBatch");
        CHECK(error->message ==
              "Tried to create resource record set duplicate.example.com. type A, "
              "but it already exists; Second & last");
        CHECK(error->request_id == "b25f48e8-84fd-11e6-80d9-574e0c4664cb");
        CHECK_FALSE(is_retryable(*error));
    }

    TEST_CASE("xml: entities, CDATA, prefixes, attributes and comments") {
        const auto document = xml::parse(
            "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><r:Root xmlns:r='urn:x' a=\"1 &lt; 2\">"
            "<V>&quot;a&amp;b&quot; "
            "&#65;&#x42;&#x20AC;</V><V><![CDATA[<raw>&amp;]]></V><E/></r:Root>");
        REQUIRE(document.ok());
        CHECK(document->name == "Root");
        CHECK(document->attribute("a") == "1 < 2");
        const auto values = document->children_named("V");
        REQUIRE(values.size() == 2);
        CHECK(values[0]->text == "\"a&b\" AB\xE2\x82\xAC");
        CHECK(values[1]->text == "<raw>&amp;");
        CHECK(document->child("E") != nullptr);
        CHECK(document->child_text("Missing").empty());
        CHECK(xml::escape("<a & \"b\">") == "&lt;a &amp; \"b\"&gt;");
    }

    TEST_CASE("xml: hostile and malformed input is an error, never a crash") {
        const std::vector<std::string> bad{
            "",
            "   ",
            "not xml",
            "<a>",
            "<a></b>",
            "<a><b></a></b>",
            "<a>&unknown;</a>",
            "<a>&#0;</a>",
            "<a>&#x110000;</a>",
            "<a>&#xD800;</a>",
            "<a>& </a>",
            "<a x=1></a>",
            "<a x=\"1></a>",
            "<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>",
            "<a><!DOCTYPE b></a>",
            "<a></a><b></b>",
            "<a><!-- unterminated </a>",
            "<a><![CDATA[ unterminated </a>",
            "<",
            "</a>",
            "<a/>trailing",
        };
        for (const auto& text : bad) {
            CAPTURE(text);
            CHECK_FALSE(xml::parse(text).ok());
        }
        CHECK_FALSE(parse_aws_error("<html>502 Bad Gateway</html>").has_value());
        CHECK_FALSE(parse_aws_error("").has_value());

        std::string deep;
        for (int i = 0; i < 100000; ++i)
            deep += "<a>";
        const auto too_deep = xml::parse(deep);
        REQUIRE_FALSE(too_deep.ok());
        CHECK(too_deep.error().message.find("deeper") != std::string::npos);

        xml::Limits small;
        small.max_bytes = 64;
        CHECK_FALSE(xml::parse("<a>" + std::string(100, 'x') + "</a>", small).ok());
        small = {};
        small.max_elements = 10;
        std::string wide = "<a>";
        for (int i = 0; i < 20; ++i)
            wide += "<b/>";
        CHECK_FALSE(xml::parse(wide + "</a>", small).ok());

        // Every prefix of a real answer, and seeded random corruptions of it, parse or fail
        // cleanly.
        const std::string valid =
            "<?xml version=\"1.0\"?><ListResourceRecordSetsResponse "
            "xmlns=\"x\"><ResourceRecordSets>"
            "<ResourceRecordSet><Name>_acme-challenge.example.com.</Name><Type>TXT</Type><TTL>60</"
            "TTL>"
            "<ResourceRecords><ResourceRecord><Value>\"a&amp;b\"</Value></ResourceRecord>"
            "</ResourceRecords></ResourceRecordSet></ResourceRecordSets></"
            "ListResourceRecordSetsResponse>";
        REQUIRE(xml::parse(valid).ok());
        for (std::size_t length = 0; length < valid.size(); ++length)
            CHECK_FALSE(xml::parse(valid.substr(0, length)).ok());
        std::mt19937 random(20150830);
        const std::string alphabet = "<>/&;#x\"'=![]-?a \n\x00\xff";
        for (int round = 0; round < 2000; ++round) {
            std::string mutated = valid;
            for (int edits = 0; edits < 3; ++edits)
                mutated[random() % mutated.size()] = alphabet[random() % alphabet.size()];
            (void)xml::parse(mutated);
            (void)parse_aws_error(mutated);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Credentials

    namespace {

    EnvLookup env_of(std::map<std::string, std::string> values) {
        return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
            const auto found = values.find(std::string(name));
            if (found == values.end() || found->second.empty())
                return std::nullopt;
            return found->second;
        };
    }

    FileReader files_of(std::map<std::string, std::string> files) {
        return [files = std::move(files)](const std::string& path) -> Result<std::string> {
            const auto found = files.find(path);
            if (found == files.end())
                return make_error(ErrorKind::io, "cannot open the file");
            return found->second;
        };
    }

    const std::string k_credentials_file = R"(# shared credentials
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret-SHOULD-NOT-LEAK

[work]          ; a comment
AWS_ACCESS_KEY_ID=AKIDWORK
aws_secret_access_key = work-secret-SHOULD-NOT-LEAK   # trailing comment
aws_session_token = work-token-SHOULD-NOT-LEAK

[broken]
aws_access_key_id = AKIDBROKEN
)";

    } // namespace

    TEST_CASE("credentials: table, then environment, then the shared file") {
        const auto files = files_of({{"/home/u/.aws/credentials", k_credentials_file}});
        const auto env = env_of({{"HOME", "/home/u"},
                                 {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                 {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                 {"AWS_SESSION_TOKEN", "env-token"}});

        auto table = resolve_credentials({"AKIDTABLE", "table-secret", std::nullopt, std::nullopt},
                                         env, files);
        REQUIRE(table.ok());
        CHECK(table->access_key_id == "AKIDTABLE");
        CHECK(table->session_token.empty()); // the environment's token belongs to its own keys

        auto from_env = resolve_credentials({}, env, files);
        REQUIRE(from_env.ok());
        CHECK(from_env->access_key_id == "AKIDENV");
        CHECK(from_env->session_token == "env-token");

        auto named =
            resolve_credentials({std::nullopt, std::nullopt, std::nullopt, "work"}, env, files);
        REQUIRE(named.ok());
        CHECK(named->access_key_id == "AKIDWORK");
        CHECK(named->secret_access_key == "work-secret-SHOULD-NOT-LEAK");
        CHECK(named->session_token == "work-token-SHOULD-NOT-LEAK");

        auto fallback = resolve_credentials({}, env_of({{"HOME", "/home/u"}}), files);
        REQUIRE(fallback.ok());
        CHECK(fallback->access_key_id == "AKIDDEFAULT");

        auto by_env_profile = resolve_credentials(
            {}, env_of({{"AWS_PROFILE", "work"}, {"AWS_SHARED_CREDENTIALS_FILE", "/etc/aws"}}),
            files_of({{"/etc/aws", k_credentials_file}}));
        REQUIRE(by_env_profile.ok());
        CHECK(by_env_profile->access_key_id == "AKIDWORK");
    }

    TEST_CASE("credentials: errors name the fix and never a secret") {
        const auto files = files_of({{"/home/u/.aws/credentials", k_credentials_file}});
        const auto home = env_of({{"HOME", "/home/u"}});
        const std::vector<Result<sigv4::Credentials>> failures{
            resolve_credentials({"AKID", std::nullopt, std::nullopt, std::nullopt}, home, files),
            resolve_credentials(
                {std::nullopt, "lonely-secret-SHOULD-NOT-LEAK", std::nullopt, std::nullopt}, home,
                files),
            resolve_credentials(
                {std::nullopt, std::nullopt, "lonely-token-SHOULD-NOT-LEAK", std::nullopt}, home,
                files),
            resolve_credentials({std::nullopt, std::nullopt, std::nullopt, "missing"}, home, files),
            resolve_credentials({std::nullopt, std::nullopt, std::nullopt, "broken"}, home, files),
            resolve_credentials({}, env_of({{"HOME", "/nowhere"}}), files),
            resolve_credentials(
                {}, env_of({{"AWS_SECRET_ACCESS_KEY", "env-secret-SHOULD-NOT-LEAK"}}), files),
        };
        for (const auto& failure : failures) {
            REQUIRE_FALSE(failure.ok());
            CAPTURE(failure.error().message);
            CHECK(failure.error().kind == ErrorKind::profile);
            CHECK(failure.error().message.starts_with("route53: "));
            CHECK(failure.error().message.find("SHOULD-NOT-LEAK") == std::string::npos);
        }
        CHECK(failures[3].error().message.find("profile [missing] not found") != std::string::npos);
        CHECK(failures[5].error().message.find("/nowhere/.aws/credentials") != std::string::npos);
    }

    // ---------------------------------------------------------------------------------------------
    // The fake's rules

    namespace {

    fake::Change change(std::string action, std::string name, std::int64_t ttl,
                        std::vector<std::string> values, std::string type = "TXT") {
        return fake::Change{std::move(action), fake::RecordSet{std::move(name), std::move(type),
                                                               ttl, std::move(values)}};
    }

    } // namespace

    TEST_CASE("fake: exact-match DELETE, CREATE of an existing set, atomic batches") {
        fake::ZoneStore store;
        const auto id = store.add_zone("Example.com", false);
        fake::Zone& zone = *store.zone(id);
        CHECK(zone.name == "example.com.");
        std::vector<fake::TxtDelta> deltas;
        const std::string name = "_acme-challenge.example.com.";

        CHECK(store.apply(zone, {change("CREATE", name, 60, {"\"a\"", "\"b\""})}, deltas).empty());
        REQUIRE(deltas.size() == 1);
        CHECK(deltas[0].added == std::vector<std::string>{"a", "b"});

        auto errors = store.apply(zone, {change("CREATE", name, 60, {"\"c\""})}, deltas);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0] == "Tried to create resource record set [name='" + name +
                               "', type='TXT'] but it already exists");

        errors = store.apply(zone, {change("DELETE", name, 60, {"\"a\""})}, deltas);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find("the values provided do not match the current values") !=
              std::string::npos);
        CHECK_FALSE(
            store.apply(zone, {change("DELETE", name, 300, {"\"a\"", "\"b\""})}, deltas).empty());
        CHECK_FALSE(
            store.apply(zone, {change("DELETE", name, 60, {"\"a\"", "\"x\""})}, deltas).empty());
        CHECK_FALSE(
            store.apply(zone, {change("DELETE", "other.example.com.", 60, {"\"a\""})}, deltas)
                .empty());

        // One bad change spoils the batch: the good UPSERT before it is not applied.
        deltas.clear();
        errors = store.apply(zone,
                             {change("UPSERT", name, 60, {"\"z\""}),
                              change("UPSERT", "x.example.com.", 60, {"unquoted"})},
                             deltas);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find("InvalidCharacterString") != std::string::npos);
        CHECK(deltas.empty());
        CHECK(zone.sets.at({fake::reversed_labels(name), "TXT"}).values ==
              std::vector<std::string>{"\"a\"", "\"b\""});

        // The same set deleted twice in one batch fails as a whole.
        CHECK_FALSE(store
                        .apply(zone,
                               {change("DELETE", name, 60, {"\"b\"", "\"a\""}),
                                change("DELETE", name, 60, {"\"a\"", "\"b\""})},
                               deltas)
                        .empty());
        CHECK(zone.sets.contains({fake::reversed_labels(name), "TXT"}));

        CHECK(store.apply(zone, {change("DELETE", name, 60, {"\"b\"", "\"a\""})}, deltas).empty());
        CHECK_FALSE(zone.sets.contains({fake::reversed_labels(name), "TXT"}));

        errors = store.apply(zone,
                             {change("UPSERT", "_acme-challenge.example.org.", 60, {"\"a\""}),
                              change("UPSERT", name, 60, {"\"a\"", "\"a\""}),
                              change("UPSERT", name, 60, {"\"" + std::string(256, 'x') + "\""})},
                             deltas);
        CHECK(errors.size() == 3);
    }

    TEST_CASE("fake: TXT quoting rules") {
        CHECK(fake::unquote_txt("\"abc\"") == "abc");
        CHECK(fake::unquote_txt("\"ab\" \"cd\"") == "abcd");
        CHECK(fake::unquote_txt("\"a\\\"b\"") == "a\"b");
        CHECK_FALSE(fake::unquote_txt("abc").has_value());
        CHECK_FALSE(fake::unquote_txt("\"abc").has_value());
        CHECK_FALSE(fake::unquote_txt("").has_value());
        CHECK_FALSE(fake::unquote_txt("\"" + std::string(256, 'x') + "\"").has_value());
        CHECK(fake::reversed_labels("www.example.com.") == "com.example.www");
        CHECK(fake::escape_name("*.example.com.") == "\\052.example.com.");
        CHECK(normalize_name("\\052.Example.COM") == "*.example.com.");
    }

    TEST_CASE("txt changes: merge on add, remainder or exact delete on remove") {
        const TxtSet current{
            "_acme-challenge.example.com.", std::chrono::seconds(300), {"\"foreign\"", "\"ours\""}};
        auto added = plan_add(current, current.name, {"ours", "new"}, std::chrono::seconds(60));
        REQUIRE(added.has_value());
        CHECK(added->action == ChangeAction::upsert);
        CHECK(added->set.values == std::vector<std::string>{"\"foreign\"", "\"ours\"", "\"new\""});
        CHECK_FALSE(
            plan_add(current, current.name, {"ours"}, std::chrono::seconds(60)).has_value());

        auto removed = plan_remove(current, {"ours"});
        REQUIRE(removed.has_value());
        CHECK(removed->action == ChangeAction::upsert);
        CHECK(removed->set.ttl == std::chrono::seconds(300));
        CHECK(removed->set.values == std::vector<std::string>{"\"foreign\""});
        auto emptied = plan_remove(current, {"ours", "foreign"});
        REQUIRE(emptied.has_value());
        CHECK(emptied->action == ChangeAction::remove);
        CHECK(emptied->set.values == current.values);
        CHECK(emptied->set.ttl == current.ttl);
        CHECK_FALSE(plan_remove(current, {"gone"}).has_value());
        CHECK_FALSE(plan_remove(std::nullopt, {"ours"}).has_value());
        CHECK(quote_txt("a\"b\\") == "\"a\\\"b\\\\\"");
    }

    // ---------------------------------------------------------------------------------------------
    // The provider against the in-process fake

    namespace {

    const std::string k_key_id = "AKIDTESTROUTE53";
    const std::string k_secret = "unit/secret+KEY/SHOULD-NEVER-APPEAR";
    const std::string k_token = "unit-session-TOKEN-SHOULD-NEVER-APPEAR";
    const std::string k_owner = "_acme-challenge.demo.test.";
    const std::string k_wildcard_value = "wildcardVALUE0000000000000000000000000000000";
    const std::string k_apex_value = "apexVALUE00000000000000000000000000000000000";

    struct Harness {
        explicit Harness(fake::FakeOptions options = make_options()) : fake(std::move(options)) {
            zone_id = fake.add_zone("demo.test");
            auto port = fake.start();
            REQUIRE(port.ok());
        }

        static fake::FakeOptions make_options() {
            fake::FakeOptions options;
            options.access_key_id = k_key_id;
            options.secret_access_key = k_secret;
            return options;
        }

        std::map<std::string, SettingValue> settings() const {
            return {{"api_url", SettingValue{fake.url(), "test.toml:1"}},
                    {"access_key_id", SettingValue{k_key_id, "test.toml:2"}},
                    {"secret_access_key", SettingValue{k_secret, "test.toml:3"}}};
        }

        Result<std::unique_ptr<DnsProvider>>
        provider(std::map<std::string, SettingValue> overrides = {},
                 std::chrono::seconds clock_offset = std::chrono::seconds(0)) {
            auto values = settings();
            for (auto& [key, value] : overrides)
                values.insert_or_assign(key, std::move(value));
            Environment environment;
            environment.env = env_of({});
            environment.read_file = files_of({});
            environment.hooks.now = [clock_offset] {
                return std::chrono::system_clock::now() + clock_offset;
            };
            environment.hooks.sleep = [this](std::chrono::milliseconds pause) {
                pauses.push_back(pause);
                if (stop_after_pauses != 0 && pauses.size() >= stop_after_pauses)
                    stopped = true;
            };
            environment.hooks.cancelled = [this] { return stopped; };
            return create_provider(ProviderConfig{"route53", std::move(values), "test.toml:9"},
                                   std::move(environment));
        }

        std::vector<std::string> values(const std::string& name = k_owner) const {
            const auto set = fake.set(zone_id, name);
            return set ? set->values : std::vector<std::string>{};
        }

        fake::FakeRoute53 fake;
        std::string zone_id;
        std::vector<std::chrono::milliseconds> pauses;
        std::size_t stop_after_pauses = 0; // SIGINT after this many pauses (0: never)
        bool stopped = false;
    };

    const TxtRecord k_wildcard{"demo.test.", k_owner, k_wildcard_value, std::chrono::seconds(60)};
    const TxtRecord k_apex{"demo.test.", k_owner, k_apex_value, std::chrono::seconds(60)};

    SettingValue setting(std::variant<std::string, std::int64_t, bool> value) {
        return SettingValue{std::move(value), "test.toml:5"};
    }

    void check_no_secret(const std::string& message) {
        CHECK(message.find(k_secret) == std::string::npos);
        CHECK(message.find(k_token) == std::string::npos);
        CHECK(message.find("SHOULD-NEVER-APPEAR") == std::string::npos);
    }

    } // namespace

    TEST_CASE("provider: wildcard and apex values coexist; removal leaves the other") {
        Harness h;
        auto provider = h.provider();
        REQUIRE(provider.ok());
        const std::vector<TxtRecord> both{k_wildcard, k_apex};
        REQUIRE((*provider)->add(both).ok());
        CHECK(h.values() ==
              std::vector<std::string>{"\"" + k_wildcard_value + "\"", "\"" + k_apex_value + "\""});
        CHECK(h.fake.accepted_batches() == 1); // both values in one batch
        REQUIRE(h.fake.batches()[0].size() == 1);
        CHECK(h.fake.batches()[0][0].action == "UPSERT");

        // Adding again is a no-op: nothing to change.
        REQUIRE((*provider)->add(both).ok());
        CHECK(h.fake.accepted_batches() == 1);

        // A fresh instance (as after a restart) removes by (name, value), with no memory of ids.
        auto fresh = h.provider();
        REQUIRE(fresh.ok());
        REQUIRE((*fresh)->remove(std::vector<TxtRecord>{k_wildcard}).ok());
        CHECK(h.values() == std::vector<std::string>{"\"" + k_apex_value + "\""});

        auto another = h.provider();
        REQUIRE(another.ok());
        REQUIRE((*another)->remove(std::vector<TxtRecord>{k_apex}).ok());
        CHECK_FALSE(h.fake.set(h.zone_id, k_owner).has_value());
        CHECK(h.fake.batches().back()[0].action == "DELETE");

        // Already gone is success, and sends nothing.
        const auto batches = h.fake.accepted_batches();
        REQUIRE((*another)->remove(both).ok());
        CHECK(h.fake.accepted_batches() == batches);
    }

    TEST_CASE("provider: separate adds merge, and a foreign value and its TTL are kept") {
        Harness h;
        h.fake.put_set(h.zone_id, fake::RecordSet{k_owner, "TXT", 300, {"\"foreign\""}});
        // A set right after the owner name, so the listing's start position matters.
        h.fake.put_set(h.zone_id, fake::RecordSet{"a." + k_owner, "TXT", 300, {"\"next\""}});
        auto provider = h.provider({{"ttl", setting(std::int64_t{120})}});
        REQUIRE(provider.ok());
        REQUIRE((*provider)->add(std::vector<TxtRecord>{k_wildcard}).ok());
        REQUIRE((*provider)->add(std::vector<TxtRecord>{k_apex}).ok());
        CHECK(h.values() == std::vector<std::string>{"\"foreign\"", "\"" + k_wildcard_value + "\"",
                                                     "\"" + k_apex_value + "\""});
        CHECK(h.fake.set(h.zone_id, k_owner)->ttl == 120);
        REQUIRE((*provider)->remove(std::vector<TxtRecord>{k_wildcard, k_apex}).ok());
        CHECK(h.values() == std::vector<std::string>{"\"foreign\""});
        CHECK(h.fake.set(h.zone_id, "a." + k_owner)->values ==
              std::vector<std::string>{"\"next\""});

        // A name with no TXT set of its own, whose listing starts at the next set.
        const TxtRecord other{"demo.test.", "_acme-challenge.b.demo.test.", "v",
                              std::chrono::seconds(60)};
        REQUIRE((*provider)->remove(std::vector<TxtRecord>{other}).ok());
    }

    TEST_CASE("provider: waits for INSYNC with a short first pause and backoff") {
        Harness h;
        h.fake.set_polls_until_insync(3);
        auto provider = h.provider();
        REQUIRE(provider.ok());
        REQUIRE((*provider)->add(std::vector<TxtRecord>{k_wildcard}).ok());
        CHECK(h.fake.get_change_calls() == 4);
        using std::chrono::milliseconds;
        CHECK(h.pauses ==
              std::vector<milliseconds>{milliseconds(250), milliseconds(500), milliseconds(1000)});
    }

    TEST_CASE("provider: a change that never gets INSYNC is a bounded timeout") {
        Harness h;
        h.fake.set_polls_until_insync(1000000);
        auto provider = h.provider();
        REQUIRE(provider.ok());
        const auto result = (*provider)->add(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == ErrorKind::timeout);
        CHECK(result.error().message.starts_with("route53: "));
        CHECK(result.error().message.find("still PENDING") != std::string::npos);
        std::chrono::milliseconds total{0};
        for (const auto pause : h.pauses)
            total += pause;
        CHECK(total <= std::chrono::minutes(4));
        CHECK(h.pauses.size() < 60);
    }

    TEST_CASE("provider: SIGINT ends the INSYNC wait; an add fails, a removal is done once sent") {
        Harness h;
        auto provider = h.provider();
        REQUIRE(provider.ok());
        h.fake.set_polls_until_insync(1000000);
        h.stop_after_pauses = 1;
        const auto added = (*provider)->add(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(added.ok());
        CHECK(added.error().kind == ErrorKind::interrupted);
        CHECK(added.error().message.find("PENDING") != std::string::npos);
        CHECK(h.pauses.size() == 1); // not the 180 s of the timeout
        // Still stopped: the removal is sent (the value goes) and not waited for.
        const auto polls = h.fake.get_change_calls();
        REQUIRE((*provider)->remove(std::vector<TxtRecord>{k_wildcard}).ok());
        CHECK(h.values().empty());
        CHECK(h.fake.get_change_calls() == polls);
        CHECK(h.pauses.size() == 1);
    }

    TEST_CASE("provider: Throttling and PriorRequestNotComplete are retried with backoff") {
        Harness h;
        h.fake.throttle_next(3);
        h.fake.prior_request_not_complete_next(2);
        auto provider = h.provider();
        REQUIRE(provider.ok());
        REQUIRE((*provider)->add(std::vector<TxtRecord>{k_wildcard, k_apex}).ok());
        CHECK(h.fake.throttled_requests() == 3);
        CHECK(h.values().size() == 2);
        using std::chrono::milliseconds;
        REQUIRE(h.pauses.size() >= 5);
        CHECK(h.pauses[0] == milliseconds(250));
        CHECK(h.pauses[1] == milliseconds(500));
        CHECK(h.pauses[2] == milliseconds(1000));
    }

    TEST_CASE("provider: endless throttling gives up with the AWS code") {
        Harness h;
        h.fake.throttle_next(1000);
        auto provider = h.provider();
        REQUIRE(provider.ok());
        const auto result = (*provider)->add(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(result.ok());
        CAPTURE(result.error().message);
        CHECK(result.error().message.starts_with("route53: add TXT records: "));
        CHECK(result.error().message.find("Throttling: Rate exceeded") != std::string::npos);
        CHECK(h.pauses.size() == 7); // 8 attempts
    }

    TEST_CASE("provider: a wrong secret key is a clear error naming route53 and the fix") {
        auto options = Harness::make_options();
        options.session_token = k_token;
        Harness h(options);
        auto provider = h.provider(
            {{"secret_access_key", setting(std::string("wrong/secret/SHOULD-NEVER-APPEAR"))},
             {"session_token", setting(k_token)}});
        REQUIRE(provider.ok());
        const auto result = (*provider)->add(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(result.ok());
        const auto& message = result.error().message;
        CAPTURE(message);
        CHECK(message.starts_with("route53: "));
        CHECK(message.find("HTTP 403: SignatureDoesNotMatch") != std::string::npos);
        CHECK(message.find("check the secret access key") != std::string::npos);
        check_no_secret(message);
    }

    TEST_CASE("provider: session tokens are sent, and their absence is explained") {
        auto options = Harness::make_options();
        options.session_token = k_token;
        Harness h(options);

        auto without = h.provider();
        REQUIRE(without.ok());
        const auto refused = (*without)->add(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(refused.ok());
        CAPTURE(refused.error().message);
        CHECK(refused.error().message.find("InvalidClientTokenId") != std::string::npos);
        CHECK(refused.error().message.find("AWS_SESSION_TOKEN") != std::string::npos);

        auto with = h.provider({{"session_token", setting(k_token)}});
        REQUIRE(with.ok());
        REQUIRE((*with)->add(std::vector<TxtRecord>{k_wildcard}).ok());
        CHECK(h.values().size() == 1);

        auto wrong = h.provider({{"session_token", setting(std::string("x-SHOULD-NEVER-APPEAR"))}});
        REQUIRE(wrong.ok());
        const auto bad = (*wrong)->remove(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(bad.ok());
        check_no_secret(bad.error().message);
    }

    TEST_CASE("provider: a clock more than 5 minutes off is refused by the signature check") {
        Harness h;
        auto provider = h.provider({}, std::chrono::minutes(10));
        REQUIRE(provider.ok());
        const auto result = (*provider)->add(std::vector<TxtRecord>{k_wildcard});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message.find("Signature not yet current") != std::string::npos);
        auto close = h.provider({}, std::chrono::minutes(4));
        REQUIRE(close.ok());
        CHECK((*close)->add(std::vector<TxtRecord>{k_wildcard}).ok());
    }

    TEST_CASE("provider: hosted zone found by name, public or private, the core's zone first") {
        Harness h;
        const auto private_id = h.fake.add_zone("demo.test", true);
        const auto sub_id = h.fake.add_zone("sub.demo.test");
        h.fake.add_zone("zzz.test");

        auto provider = h.provider();
        REQUIRE(provider.ok());
        REQUIRE((*provider)->add(std::vector<TxtRecord>{k_wildcard}).ok());
        CHECK(h.values().size() == 1);
        CHECK_FALSE(h.fake.set(private_id, k_owner).has_value());

        auto private_provider = h.provider({{"private_zone", setting(true)}});
        REQUIRE(private_provider.ok());
        REQUIRE((*private_provider)->add(std::vector<TxtRecord>{k_apex}).ok());
        CHECK(h.fake.set(private_id, k_owner)->values ==
              std::vector<std::string>{"\"" + k_apex_value + "\""});

        // Without a zone from the core the deepest hosted zone wins; with one, the core's zone
        // (the one public DNS delegates to) is tried first.
        const TxtRecord sub{"", "_acme-challenge.sub.demo.test.", "s", std::chrono::seconds(60)};
        REQUIRE((*provider)->add(std::vector<TxtRecord>{sub}).ok());
        CHECK(h.fake.set(sub_id, sub.fqdn).has_value());
        CHECK_FALSE(h.fake.set(h.zone_id, sub.fqdn).has_value());
        auto hinted_provider = h.provider();
        REQUIRE(hinted_provider.ok());
        TxtRecord hinted = sub;
        hinted.zone = "demo.test.";
        hinted.value = "h";
        REQUIRE((*hinted_provider)->add(std::vector<TxtRecord>{hinted}).ok());
        CHECK(h.fake.set(h.zone_id, sub.fqdn)->values == std::vector<std::string>{"\"h\""});

        const TxtRecord lost{"nowhere.example.", "_acme-challenge.nowhere.example.", "v",
                             std::chrono::seconds(60)};
        const auto missing = (*provider)->add(std::vector<TxtRecord>{lost});
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().message.find(
                  "route53: add TXT records: no public hosted zone found") == 0);
        CHECK(missing.error().message.find("hosted_zone_id") != std::string::npos);
    }

    TEST_CASE("provider: many zones of one name are paged through") {
        Harness h;
        for (int i = 0; i < 150; ++i)
            h.fake.add_zone("paged.test", true);
        // Within one name zones are listed by id, so the public one is on the second page.
        const auto public_id = h.fake.add_zone("paged.test");
        auto provider = h.provider();
        REQUIRE(provider.ok());
        const TxtRecord record{"paged.test.", "_acme-challenge.paged.test.", "p",
                               std::chrono::seconds(60)};
        REQUIRE((*provider)->add(std::vector<TxtRecord>{record}).ok());
        CHECK(h.fake.set(public_id, record.fqdn).has_value());
    }

    TEST_CASE("provider: hosted_zone_id skips the lookup; InvalidChangeBatch in both shapes") {
        for (const bool bare : {false, true}) {
            CAPTURE(bare);
            auto options = Harness::make_options();
            options.bare_invalid_change_batch = bare;
            Harness h(options);
            const auto other_id = h.fake.add_zone("other.test");
            auto provider = h.provider({{"hosted_zone_id", setting("/hostedzone/" + other_id)}});
            REQUIRE(provider.ok());
            const auto result = (*provider)->add(std::vector<TxtRecord>{k_wildcard});
            REQUIRE_FALSE(result.ok());
            CAPTURE(result.error().message);
            CHECK(result.error().message.starts_with("route53: add TXT records: "
                                                     "ChangeResourceRecordSets in zone " +
                                                     other_id +
                                                     ": HTTP 400: InvalidChangeBatch: "));
            CHECK(result.error().message.find("RRSet with DNS name " + k_owner +
                                              " is not permitted in zone other.test.") !=
                  std::string::npos);

            auto right = h.provider({{"hosted_zone_id", setting(h.zone_id)}});
            REQUIRE(right.ok());
            REQUIRE((*right)->add(std::vector<TxtRecord>{k_wildcard}).ok());
            CHECK(h.values().size() == 1);
        }
    }

    TEST_CASE("provider: settings are validated; secrets are flagged in the descriptor") {
        CHECK(k_descriptor.name == "route53");
        int secrets = 0;
        for (const auto& descriptor : k_descriptor.settings) {
            CHECK_FALSE(descriptor.key.ends_with("_file"));
            if (descriptor.secret) {
                ++secrets;
                CHECK((descriptor.key == "secret_access_key" || descriptor.key == "session_token"));
            }
        }
        CHECK(secrets == 2);

        Harness h;
        auto bad_ttl = h.provider({{"ttl", setting(std::int64_t{-1})}});
        REQUIRE_FALSE(bad_ttl.ok());
        CHECK(bad_ttl.error().kind == ErrorKind::profile);
        auto bad_url = h.provider({{"api_url", setting(std::string("ftp://x"))}});
        REQUIRE_FALSE(bad_url.ok());
        auto unknown = h.provider({{"secret_access_key_file", setting(std::string("x"))}});
        REQUIRE_FALSE(unknown.ok());
        auto half = h.provider({{"access_key_id", setting(std::string("AKID"))},
                                {"profile", setting(std::string("work"))}});
        REQUIRE_FALSE(half.ok());
        check_no_secret(half.error().message);
    }

    TEST_CASE("the example Route 53 profile loads and builds a provider") {
        const config::EnvLookup no_env = [](const std::string&) {
            return std::optional<std::string>();
        };
        auto profile = config::load_profile_with_env(
            fs::path(WILDCERT_SOURCE_ROOT) / "examples" / "profiles" / "route53.toml", no_env);
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        REQUIRE(profile->dns.provider.name == "route53");
        Environment environment;
        environment.env = env_of(
            {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", "example-secret"}});
        environment.read_file = files_of({});
        const auto created = create_provider(profile->dns.provider, std::move(environment));
        CHECK_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
    }

    TEST_CASE("provider: check_access finds the hosted zone and reads it, changing nothing") {
        Harness h;
        auto provider = h.provider();
        REQUIRE(provider.ok());
        const std::vector<std::string> zones{"demo.test."};
        const auto access = (*provider)->check_access(zones);
        REQUIRE_MESSAGE(access.ok(), (access.ok() ? "" : access.error().message));
        CHECK(access->verified);
        CHECK(access->description.find("demo.test. (hosted zone " + h.zone_id + ")") !=
              std::string::npos);
        check_no_secret(access->description);
        CHECK(h.fake.accepted_batches() == 0);

        auto wrong = h.provider({{"secret_access_key", setting("wrong/secret+KEY/0000000000")}});
        REQUIRE(wrong.ok());
        const auto refused = (*wrong)->check_access(zones);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.rfind("route53", 0) == 0);
        CHECK(refused.error().message.find("wrong/secret") == std::string::npos);
        check_no_secret(refused.error().message);
    }

} // TEST_SUITE
