// Unit tests for src/acme and src/http pieces that need no network.
#include "acme/documents.hpp"
#include "acme/jws.hpp"
#include "acme/order.hpp"
#include "acme/problem.hpp"
#include "crypto/base64.hpp"
#include "http/url.hpp"
#include "json/json.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace wildcert;

TEST_SUITE("acme") {
    TEST_CASE("dns-01 TXT value: RFC 8555 §8.4 token with the RFC 7638 key thumbprint") {
        CHECK(acme::dns01_txt_value("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA",
                                    "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs") ==
              "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
    }

    TEST_CASE("problem documents keep type, detail, status and subproblem identifiers") {
        http::Response response;
        response.status = 403;
        response.headers = {{"content-type", "application/problem+json"}, {"retry-after", "30"}};
        response.body = R"({"type":"urn:ietf:params:acme:error:compound","detail":"two failed",
            "subproblems":[{"type":"urn:ietf:params:acme:error:unauthorized","detail":"no TXT",
            "identifier":{"type":"dns","value":"example.com"}}]})";
        const auto problem = acme::problem_from_response(response);
        CHECK(problem.short_type() == "compound");
        CHECK(problem.status == 403);
        CHECK(problem.retry_after == std::chrono::seconds(30));
        REQUIRE(problem.subproblems.size() == 1);
        CHECK(problem.subproblems[0].identifier == "example.com");
        CHECK(problem.describe() == "compound: two failed [example.com: unauthorized: no TXT]");
    }

    TEST_CASE("a non-problem error body is described, not trusted") {
        http::Response response;
        response.status = 502;
        response.headers = {{"content-type", "text/html"}};
        response.body = "<html>bad gateway</html>";
        const auto problem = acme::problem_from_response(response);
        CHECK(problem.status == 502);
        CHECK(problem.describe().find("HTTP 502 with text/html") != std::string::npos);
    }

    TEST_CASE("Retry-After as delta-seconds and as HTTP-date") {
        using namespace std::chrono;
        const auto now = sys_days{year{1994} / 11 / 6} + hours(8) + minutes(49) + seconds(7);
        CHECK(acme::parse_retry_after("120", now) == seconds(120));
        CHECK(acme::parse_retry_after(" 5 ", now) == seconds(5));
        CHECK(acme::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == seconds(30));
        CHECK(acme::parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == seconds(0));
        CHECK_FALSE(acme::parse_retry_after("-1", now).has_value());
        CHECK_FALSE(acme::parse_retry_after("soon", now).has_value());
    }

    TEST_CASE("a JWS carries jwk before the account exists and kid after, and verifies") {
        auto key = crypto::PrivateKey::generate(KeyType::ec_p256);
        REQUIRE(key.ok());
        for (const bool with_kid : {false, true}) {
            const acme::JwsHeader header{.url = "https://ca.test/acme/new-order",
                                         .nonce = "nonce-1",
                                         .kid = with_kid ? "https://ca.test/acct/1" : ""};
            const auto jws = acme::sign_jws(*key, header, R"({"a":1})");
            REQUIRE(jws.ok());
            const auto document = json::Document::parse(*jws);
            REQUIRE(document.ok());
            const auto protected_b64 = document->root().string_member("protected").value();
            const auto payload_b64 = document->root().string_member("payload").value();
            const auto signature =
                crypto::base64url_decode(document->root().string_member("signature").value());
            REQUIRE(signature.ok());
            CHECK(signature->size() == 64);

            const auto header_bytes = crypto::base64url_decode(protected_b64);
            REQUIRE(header_bytes.ok());
            const auto protected_json =
                json::Document::parse(std::string(header_bytes->begin(), header_bytes->end()));
            REQUIRE(protected_json.ok());
            const auto root = protected_json->root();
            CHECK(root.string_member("alg") == "ES256");
            CHECK(root.string_member("nonce") == "nonce-1");
            CHECK(root.string_member("url") == header.url);
            CHECK(root.member("jwk").has_value() == !with_kid);
            CHECK(root.string_member("kid").has_value() == with_kid);

            const auto jwk = json::Document::parse(key->public_jwk_json());
            REQUIRE(jwk.ok());
            const auto verified = crypto::verify_ec_signature(
                KeyType::ec_p256, jwk->root().string_member("x").value(),
                jwk->root().string_member("y").value(), protected_b64 + "." + payload_b64,
                *signature);
            REQUIRE(verified.ok());
            CHECK(*verified);
        }
    }

    TEST_CASE("POST-as-GET signs an empty payload") {
        auto key = crypto::PrivateKey::generate(KeyType::ec_p256);
        REQUIRE(key.ok());
        const auto jws =
            acme::sign_jws(*key, {.url = "https://ca.test/o/1", .nonce = "n", .kid = "k"}, "");
        REQUIRE(jws.ok());
        const auto document = json::Document::parse(*jws);
        REQUIRE(document.ok());
        CHECK(document->root().string_member("payload") == "");
    }
}

TEST_SUITE("http") {
    TEST_CASE("URLs keep the exact target and split host and port") {
        const auto url = http::parse_url("https://127.0.0.1:14000/my-order/7?x=%2F");
        REQUIRE(url.ok());
        CHECK(url->host == "127.0.0.1");
        CHECK(url->port == 14000);
        CHECK(url->target == "/my-order/7?x=%2F");
        CHECK(url->origin() == "https://127.0.0.1:14000");
        CHECK(url->is_loopback());

        const auto v6 = http::parse_url("https://[::1]:8443");
        REQUIRE(v6.ok());
        CHECK(v6->host == "::1");
        CHECK(v6->target == "/");
        CHECK(v6->origin() == "https://[::1]:8443");

        const auto plain = http::parse_url("https://acme.example.com/directory");
        REQUIRE(plain.ok());
        CHECK(plain->port == 443);
        CHECK_FALSE(plain->is_loopback());
    }

    TEST_CASE("malformed URLs are refused") {
        for (const char* text : {"acme.example.com/dir", "ftp://x/", "https://", "https://h:0/",
                                 "https://h:99999/", "https://u:p@h/", "https://[::1/"}) {
            CHECK_FALSE(http::parse_url(text).ok());
        }
    }
}

#ifdef WILDCERT_SOURCE_ROOT
namespace {

// A body Pebble 2.4 sent, as captured for the fuzz corpus (tests/fuzz/corpus/README.md).
std::string pebble_body(const std::string& target, const std::string& file) {
    std::ifstream in(std::filesystem::path(WILDCERT_SOURCE_ROOT) / "tests/fuzz/corpus" / target /
                     file);
    std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    REQUIRE_FALSE(body.empty());
    return body;
}

} // namespace

TEST_SUITE("acme documents") {
    TEST_CASE("Pebble's directory, account, order and authorizations parse") {
        const auto directory =
            acme::parse_directory(pebble_body("directory", "pebble_directory.json"), "u");
        REQUIRE(directory.ok());
        CHECK(directory->new_order.find("/order-plz") != std::string::npos);
        CHECK_FALSE(directory->terms_of_service.empty());

        const auto account = acme::parse_account(pebble_body("account", "pebble_new_account.json"));
        REQUIRE(account.ok());
        CHECK(account->status == AcmeStatus::valid);

        const auto order =
            acme::parse_order(pebble_body("order", "pebble_order_after_failure.json"), "o");
        REQUIRE(order.ok());
        CHECK(order->status == AcmeStatus::invalid);
        REQUIRE(order->error.has_value());
        CHECK(order->error->is(acme::problem_type::k_unauthorized));
        CHECK(order->identifiers.size() == 2);

        const auto wildcard = acme::parse_authorization(
            pebble_body("authorization", "pebble_pending_wildcard.json"), "a");
        REQUIRE(wildcard.ok());
        CHECK(wildcard->wildcard);
        CHECK(wildcard->identifier == "demo.test");
        REQUIRE(wildcard->challenge("dns-01") != nullptr);
        CHECK(wildcard->challenge("dns-01")->token.size() == 43);

        const auto invalid =
            acme::parse_authorization(pebble_body("authorization", "pebble_invalid.json"), "a");
        REQUIRE(invalid.ok());
        REQUIRE(invalid->error().has_value());
        CHECK(invalid->error()->is(acme::problem_type::k_unauthorized));
    }

    TEST_CASE("documents without what the client needs are errors, not empty objects") {
        CHECK_FALSE(acme::parse_directory(R"({"newNonce":"n","newAccount":"a"})", "u").ok());
        CHECK_FALSE(acme::parse_order(R"({"identifiers":[]})", "o").ok());
        CHECK_FALSE(acme::parse_order("[]", "o").ok());
        CHECK_FALSE(acme::parse_authorization(R"({"status":"valid"})", "a").ok());
        CHECK_FALSE(acme::parse_account(R"({"contact":[]})").ok());
        // The fuzz regression: an error member nested 100000 levels deep.
        const auto deep =
            acme::parse_order(R"({"status":"invalid","error":{"a":)" + std::string(100000, '[') +
                                  std::string(100000, ']') + "}}",
                              "o");
        REQUIRE_FALSE(deep.ok());
        CHECK(deep.error().message.find("nested deeper") != std::string::npos);
    }
}
#endif
