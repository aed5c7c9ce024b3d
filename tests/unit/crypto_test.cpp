// Unit tests for crypto: known-answer vectors from RFC 4231, 4648, 7515, 7520, 7638 and
// RFC 8555 §8.4, plus round trips. No Botan here: only our own API is exercised.
#include "crypto/base64.hpp"
#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/digest.hpp"
#include "crypto/private_key.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using wildcert::KeyType;
using namespace wildcert::crypto;

std::vector<std::uint8_t> bytes_of(std::string_view text) {
    return {text.begin(), text.end()};
}

std::vector<std::uint8_t> b64(std::string_view text) {
    auto decoded = base64url_decode(text);
    REQUIRE(decoded.ok());
    return std::move(decoded).value();
}

std::string b64url_sha256(std::string_view text) {
    return base64url_encode(std::span<const std::uint8_t>(sha256(text)));
}

// The value of a string member in our compact JWK output.
std::string jwk_member(const std::string& jwk, const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    const auto start = jwk.find(key);
    REQUIRE(start != std::string::npos);
    const auto value_start = start + key.size();
    return jwk.substr(value_start, jwk.find('"', value_start) - value_start);
}

std::int64_t epoch_seconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// RFC 7515 Appendix A: the payload shared by A.1-A.3.
constexpr std::string_view k_jws_payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA"
                                           "6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

// RFC 7515 A.2 RSA key.
constexpr std::string_view k_a2_n =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4"
    "QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-"
    "bSf63kpaSHSXndS5z5rexMdbB"
    "YUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-"
    "DWN"
    "moudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
constexpr std::string_view k_a2_d =
    "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-"
    "7YwVol2NXOoAJe"
    "46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_"
    "V51gfpRLI9"
    "JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_"
    "jTj3ccPDVZFD9pI"
    "uhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";

// RFC 7515 A.3 EC P-256 key.
constexpr std::string_view k_a3_x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view k_a3_y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view k_a3_d = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

PrivateKey a2_key() {
    auto key = PrivateKey::from_rsa_components(b64(k_a2_n), b64("AQAB"), b64(k_a2_d));
    REQUIRE(key.ok());
    return std::move(key).value();
}

PrivateKey a3_key() {
    auto key = PrivateKey::from_ec_scalar(KeyType::ec_p256, b64(k_a3_d));
    REQUIRE(key.ok());
    return std::move(key).value();
}

// Test-only keys and a two-certificate chain (leaf for *.example.test and example.test,
// signed by a self-signed root), generated once with openssl 3.0 for these tests.
constexpr std::string_view k_leaf_key_pem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgW/GJxnnfNZSJ4y4w
+ybNFamus9kCTQUL0FBE4Lx9Q8OhRANCAAQGzgJfyO01nEDsAbdwPWx3zv/kxsDK
NX+WhujRAxPmeiCzLC2uH1qzMzfyQfsB2cG0TKinOUNHxgN2Y+Eii2n8
-----END PRIVATE KEY-----
)";
constexpr std::string_view k_p521_key_pem = R"(-----BEGIN PRIVATE KEY-----
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAWYjW7fWYy0D8qtGh
RFL57bpL4PtWXdPocL9m8W70psDoPU3GAoS0zKjLcAoobBQmgpXd0K+YHKWGrzlG
tX8OM6mhgYkDgYYABAB+k3N3GQ/4j8Lxj4aZTqdglqoJ76tthkeTZ96b75c9Kvqv
otMGO2bncBuXrqwt8HhKqUtG6C3t8gdD7H8Lyr/JdQGBFE6HFz/9gSNKV5NA8Uuy
0sCxFfCTZmwSeeVoZcRjYBppiHpdNFV8/8Iah6YxFmdUAPriaoqVV8Y5jNGxfRfX
Yw==
-----END PRIVATE KEY-----
)";
constexpr std::string_view k_ed25519_key_pem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEID0xBB0rtwfJgxbKm8pL/MmCPbK7WzYUG6ovKRdvj5Y1
-----END PRIVATE KEY-----
)";
constexpr std::string_view k_rsa1024_key_pem = R"(-----BEGIN PRIVATE KEY-----
MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBANknk2sN6+SSPas/
GdvQaMJpnsJndQd9t6R8Aj+9YrxgEEGgt08WBwUtVwAfSxYYid5Sia6aovk+D7zy
XvBpcfoRiceaufyvEZZ4uaSdhKhHNWT2t1bFswf35kdTL96a+RKFJK9dggtlfjzr
MdQww9hPGLROxkAzMtKEomYXc7sbAgMBAAECgYBvTlHJtcELz8m8VQO0IAcSX4D4
tH7P8CiJLucYNMK/O54ZhX9wEiJXDP5jGacrFDjWtAfOb4TJrH30o2b2Y5X/XVdd
g+OMGT+dIzMx+zWIbwQ++gPk22FccuMi7YMAEbr+GVCEFtYo8iTKHCOK4o3CL5EP
non0Dilks9jN48+WAQJBAP1v7b4KyJPQ6N2eXEjuOGEbn+ZX8ZSfE4Gk9P8aIgYN
eKQAua/WyvU8QZrHfjG/3R8AvkM40vLgNA5v7Kf15CECQQDbWbj54SKxwGqFVr8q
xJ9L4TUyASYoT/KZvbXxhGj1xfxef7wR0gc/zmrBKTsQNAxHa08e7Y1CDJtvNHkY
cze7AkBS+OIM5drlCfAzHjV4awVqRXEEKKae0bXBLBBJtHSPJrnod5RTTS8FOsT/
t3BJOVdbXxLrTx9BBMYGM/52vroBAkBExuQ2DX54Z5G+z01Plqkv/KRWUn/pYe/6
fr5+xPq4HWUdKEYK/GTjf9B/UnM/iGJVPnNniiqhjBxsiPJzVSUjAkBDdmFWKbuX
yRl1moVl0/gngqE/N84lSw3ovKY9a6wWs0KO395LwtRqLwhZEatXT19iqcJrZl0Q
ERdeyyWWG4OH
-----END PRIVATE KEY-----
)";
constexpr std::string_view k_chain_pem = R"(-----BEGIN CERTIFICATE-----
MIIBvjCCAWSgAwIBAgIJAIobLD1OX2BxMAoGCCqGSM49BAMCMDYxFzAVBgNVBAoM
DndpbGRjZXJ0IHRlc3RzMRswGQYDVQQDDBJ3aWxkY2VydCBUZXN0IFJvb3QwIBcN
MjYxMTI5MDI0NDU1WhgPMjEyNjExMDUwMjQ0NTVaMBkxFzAVBgNVBAMMDiouZXhh
bXBsZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBs4CX8jtNZxA7AG3
cD1sd87/5MbAyjV/lobo0QMT5nogsywtrh9aszM38kH7AdnBtEyopzlDR8YDdmPh
Iotp/KN2MHQwJwYDVR0RBCAwHoIOKi5leGFtcGxlLnRlc3SCDGV4YW1wbGUudGVz
dDAJBgNVHRMEAjAAMB0GA1UdDgQWBBT5z/R3j1PnS/vkUZDybZK68T8s2jAfBgNV
HSMEGDAWgBQ5hhS8Naj0ygVyjkYedJYP2OsqtjAKBggqhkjOPQQDAgNIADBFAiAw
7cpA5xtbdCSkKxCS1FrYIxOq6ukJSX4lcC2hU4nMIAIhAJLns5amCZpp5TFkfPKB
SS+aZcaL0TiS5w6BiJA7/qoy
-----END CERTIFICATE-----
-----BEGIN CERTIFICATE-----
MIIBrzCCAVagAwIBAgIBATAKBggqhkjOPQQDAjA2MRcwFQYDVQQKDA53aWxkY2Vy
dCB0ZXN0czEbMBkGA1UEAwwSd2lsZGNlcnQgVGVzdCBSb290MCAXDTI2MTEyOTAy
NDQ1NVoYDzIxMjYxMTA1MDI0NDU1WjA2MRcwFQYDVQQKDA53aWxkY2VydCB0ZXN0
czEbMBkGA1UEAwwSd2lsZGNlcnQgVGVzdCBSb290MFkwEwYHKoZIzj0CAQYIKoZI
zj0DAQcDQgAEcTfLP5gmOkEdoKxOkLhZZzV7ycB3YJxeWg7TAJj01dJLX4OqjlAO
rXpiXr7TB6juCKFqITaN90F73nxWf07ALaNTMFEwHQYDVR0OBBYEFDmGFLw1qPTK
BXKORh50lg/Y6yq2MB8GA1UdIwQYMBaAFDmGFLw1qPTKBXKORh50lg/Y6yq2MA8G
A1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgcQQJZiffX3CzR5Sh3BXN
K1Ou7KvhoFW2yNBUpATptJsCIBSaj90r/BLxESviLOFwX5C7eLE4BQyDSHBWanQD
iuNh
-----END CERTIFICATE-----
)";

} // namespace

TEST_SUITE("crypto") {

    TEST_CASE("base64 encodes the RFC 4648 §10 vectors") {
        const std::vector<std::pair<std::string_view, std::string_view>> vectors{
            {"", ""},
            {"f", "Zg=="},
            {"fo", "Zm8="},
            {"foo", "Zm9v"},
            {"foob", "Zm9vYg=="},
            {"fooba", "Zm9vYmE="},
            {"foobar", "Zm9vYmFy"}};
        for (const auto& [plain, encoded] : vectors) {
            CAPTURE(plain);
            CHECK(base64_encode(bytes_of(plain)) == encoded);
            std::string unpadded(encoded);
            while (!unpadded.empty() && unpadded.back() == '=')
                unpadded.pop_back();
            CHECK(base64url_encode(plain) == unpadded);
            CHECK(b64(encoded) == bytes_of(plain));
            CHECK(b64(unpadded) == bytes_of(plain));
        }
    }

    TEST_CASE("base64url uses the URL-safe alphabet and decodes both alphabets") {
        const std::vector<std::uint8_t> data{0xfb, 0xff, 0xbf};
        CHECK(base64url_encode(std::span<const std::uint8_t>(data)) == "-_-_");
        CHECK(base64_encode(data) == "+/+/");
        CHECK(b64("-_-_") == data);
        CHECK(b64("+/+/") == data);
        const std::vector<std::uint8_t> two{0xfb, 0xff};
        CHECK(base64url_encode(std::span<const std::uint8_t>(two)) == "-_8");
        CHECK(b64("-_8=") == two);
        CHECK(b64("+/8=") == two);
        CHECK(b64("  +/8=\r\n") == two);
    }

    TEST_CASE("base64url round-trips every byte value at every length remainder") {
        std::vector<std::uint8_t> data;
        for (int i = 0; i < 256; ++i)
            data.push_back(static_cast<std::uint8_t>(i));
        for (std::size_t length : {0u, 1u, 2u, 3u, 254u, 255u, 256u}) {
            const std::span<const std::uint8_t> part(data.data(), length);
            const std::string encoded = base64url_encode(part);
            CHECK(encoded.find('=') == std::string::npos);
            CHECK(b64(encoded) == std::vector<std::uint8_t>(part.begin(), part.end()));
            CHECK(b64(base64_encode(part)) == std::vector<std::uint8_t>(part.begin(), part.end()));
        }
    }

    TEST_CASE("base64url_decode accepts the Pebble EAB key") {
        CHECK(b64("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W").size() == 48);
    }

    TEST_CASE("base64url_decode rejects invalid input without echoing it") {
        for (const std::string_view bad :
             {"c2VjcmV0!", "c2Vj cmV0", "Zg=x", "Z", "Zm9vY", "Zg=", "Zm9v=", "Z===", "Zg===", "=",
              "Zg==Zg==", "c2VjcmV0\x01"}) {
            CAPTURE(bad);
            const auto decoded = base64url_decode(bad);
            REQUIRE_FALSE(decoded.ok());
            CHECK(decoded.error().kind == wildcert::ErrorKind::crypto);
            CHECK(decoded.error().message.find("c2Vj") == std::string::npos);
        }
    }

    TEST_CASE("sha256 and hex_lower match FIPS 180-2 'abc'") {
        CHECK(hex_lower(sha256("abc")) ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(hex_lower(std::vector<std::uint8_t>{0x00, 0xab, 0xff}) == "00abff");
        CHECK(hex_lower(std::vector<std::uint8_t>{}).empty());
    }

    TEST_CASE("hmac matches RFC 4231 test case 2") {
        const auto key = bytes_of("Jefe");
        const std::string_view data = "what do ya want for nothing?";
        CHECK(hex_lower(hmac(HmacHash::sha256, key, data)) ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        CHECK(hex_lower(hmac(HmacHash::sha384, key, data)) ==
              "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b"
              "3239ecfab21649");
        CHECK(hex_lower(hmac(HmacHash::sha512, key, data)) ==
              "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d0"
              "34f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    }

    TEST_CASE("HS256 reproduces RFC 7515 A.1") {
        const auto key = b64("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4h"
                             "cgUuTwjAzZr1Z9CAow");
        const std::string input =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + std::string(k_jws_payload);
        const auto mac = hmac(HmacHash::sha256, key, input);
        CHECK(base64url_encode(std::span<const std::uint8_t>(mac)) ==
              "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    }

    TEST_CASE("HS256 reproduces RFC 7520 §4.4") {
        const auto key = b64("hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg");
        const std::string payload =
            "It\xe2\x80\x99s a dangerous business, Frodo, going out your door. You step onto the "
            "road, and if you don't keep your feet, there\xe2\x80\x99s no knowing where you might "
            "be swept off to.";
        CHECK(base64url_encode(payload) ==
              "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0"
              "ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5v"
              "IGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4");
        const std::string input = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVl"
                                  "ZjMxNGJjNzAzNyJ9." +
                                  base64url_encode(payload);
        const auto mac = hmac(HmacHash::sha256, key, input);
        CHECK(base64url_encode(std::span<const std::uint8_t>(mac)) ==
              "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0");
    }

    TEST_CASE("RFC 7638 §3.1 thumbprint and the RFC 8555 §8.4 DNS-01 value") {
        const std::string rfc7638_n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc"
            "_"
            "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
            "65YGjQR0"
            "_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
            "bFTWh"
            "AI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        const std::string thumbprint =
            b64url_sha256(R"({"e":"AQAB","kty":"RSA","n":")" + rfc7638_n + R"("})");
        CHECK(thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        const std::string key_authorization =
            "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." + thumbprint;
        CHECK(b64url_sha256(key_authorization) == "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
    }

    TEST_CASE("RSA key from RFC 7515 A.2 components: JWK, thumbprint and exact RS256 signature") {
        const PrivateKey key = a2_key();
        CHECK(key.type() == KeyType::rsa_2048);
        CHECK(key.jws_algorithm() == "RS256");
        CHECK(key.public_jwk_json() ==
              R"({"e":"AQAB","kty":"RSA","n":")" + std::string(k_a2_n) + R"("})");
        // Computed independently with Python's hashlib over the RFC 7638 serialisation.
        CHECK(key.thumbprint() == "IsUn6_e04MaShXFIISMp4kG62LWzMIPy_MvSA5pJgX8");

        const auto signature = key.sign("eyJhbGciOiJSUzI1NiJ9." + std::string(k_jws_payload));
        REQUIRE(signature.ok());
        CHECK(base64url_encode(std::span<const std::uint8_t>(*signature)) ==
              "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_"
              "lF5YKt_O8W"
              "2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
              "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkS"
              "jtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
              "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCn"
              "vWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw");
    }

    TEST_CASE("from_rsa_components rejects an inconsistent key") {
        auto d = b64(k_a2_d);
        d.back() ^= 0x02;
        CHECK_FALSE(PrivateKey::from_rsa_components(b64(k_a2_n), b64("AQAB"), d).ok());
    }

    TEST_CASE("EC key from RFC 7515 A.3 scalar: JWK and thumbprint") {
        const PrivateKey key = a3_key();
        CHECK(key.type() == KeyType::ec_p256);
        CHECK(key.jws_algorithm() == "ES256");
        CHECK(key.public_jwk_json() == R"({"crv":"P-256","kty":"EC","x":")" + std::string(k_a3_x) +
                                           R"(","y":")" + std::string(k_a3_y) + R"("})");
        CHECK(key.thumbprint() == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
    }

    TEST_CASE("from_ec_scalar refuses RSA types and out-of-range scalars") {
        CHECK_FALSE(PrivateKey::from_ec_scalar(KeyType::rsa_2048, b64(k_a3_d)).ok());
        CHECK_FALSE(
            PrivateKey::from_ec_scalar(KeyType::ec_p256, std::vector<std::uint8_t>{0}).ok());
        CHECK_FALSE(
            PrivateKey::from_ec_scalar(KeyType::ec_p256, std::vector<std::uint8_t>(32, 0xff)).ok());
    }

    TEST_CASE("ES256: the RFC 7515 A.3 signature verifies, a tampered one does not") {
        const std::string input = "eyJhbGciOiJFUzI1NiJ9." + std::string(k_jws_payload);
        auto signature =
            b64("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxf"
                "KTUJqPP3-Kg6NU1Q");
        REQUIRE(signature.size() == 64);
        auto verified = verify_ec_signature(KeyType::ec_p256, k_a3_x, k_a3_y, input, signature);
        REQUIRE(verified.ok());
        CHECK(*verified);

        verified = verify_ec_signature(KeyType::ec_p256, k_a3_x, k_a3_y, input + "x", signature);
        REQUIRE(verified.ok());
        CHECK_FALSE(*verified);

        signature[10] ^= 0x01;
        verified = verify_ec_signature(KeyType::ec_p256, k_a3_x, k_a3_y, input, signature);
        REQUIRE(verified.ok());
        CHECK_FALSE(*verified);

        signature.pop_back();
        verified = verify_ec_signature(KeyType::ec_p256, k_a3_x, k_a3_y, input, signature);
        REQUIRE(verified.ok());
        CHECK_FALSE(*verified);
    }

    TEST_CASE("verify_ec_signature rejects malformed public keys") {
        const std::vector<std::uint8_t> signature(64, 1);
        // y of a different point: (x, y') is not on the curve.
        CHECK_FALSE(verify_ec_signature(KeyType::ec_p256, k_a3_x, k_a3_x, "a", signature).ok());
        // Shortened coordinate (RFC 7518 §6.2.1.2 requires full length).
        CHECK_FALSE(verify_ec_signature(KeyType::ec_p256, "AQAB", k_a3_y, "a", signature).ok());
        CHECK_FALSE(verify_ec_signature(KeyType::ec_p256, "!!", k_a3_y, "a", signature).ok());
        CHECK_FALSE(verify_ec_signature(KeyType::rsa_2048, k_a3_x, k_a3_y, "a", signature).ok());
    }

    TEST_CASE("our ES256 and ES384 signatures are raw R||S and verify") {
        struct Case {
            KeyType type;
            std::string_view alg;
            std::size_t length;
        };
        for (const Case& c :
             {Case{KeyType::ec_p256, "ES256", 64}, Case{KeyType::ec_p384, "ES384", 96}}) {
            CAPTURE(c.alg);
            auto key = PrivateKey::generate(c.type);
            REQUIRE(key.ok());
            CHECK(key->jws_algorithm() == c.alg);
            const std::string jwk = key->public_jwk_json();
            const std::string x = jwk_member(jwk, "x");
            const std::string y = jwk_member(jwk, "y");
            CHECK(b64(x).size() == c.length / 2);
            CHECK(b64(y).size() == c.length / 2);

            const auto signature = key->sign("protected.payload");
            REQUIRE(signature.ok());
            CHECK(signature->size() == c.length);
            auto verified = verify_ec_signature(c.type, x, y, "protected.payload", *signature);
            REQUIRE(verified.ok());
            CHECK(*verified);
            verified = verify_ec_signature(c.type, x, y, "protected.payloaD", *signature);
            REQUIRE(verified.ok());
            CHECK_FALSE(*verified);
        }
    }

    TEST_CASE("every key type survives generate -> to_pem -> from_pem") {
        for (const KeyType type : {KeyType::ec_p256, KeyType::ec_p384, KeyType::rsa_2048,
                                   KeyType::rsa_3072, KeyType::rsa_4096}) {
            CAPTURE(wildcert::to_string(type));
            auto key = PrivateKey::generate(type);
            REQUIRE(key.ok());
            CHECK(key->type() == type);
            const std::string pem = key->to_pem();
            CHECK(pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
            auto loaded = PrivateKey::from_pem(pem);
            REQUIRE(loaded.ok());
            CHECK(loaded->type() == type);
            CHECK(loaded->thumbprint() == key->thumbprint());
            CHECK(loaded->public_key_der() == key->public_key_der());
            CHECK(loaded->to_pem() == pem);
        }
    }

    TEST_CASE("two generated keys differ") {
        auto first = PrivateKey::generate(KeyType::ec_p256);
        auto second = PrivateKey::generate(KeyType::ec_p256);
        REQUIRE(first.ok());
        REQUIRE(second.ok());
        CHECK(first->thumbprint() != second->thumbprint());
    }

    TEST_CASE("from_pem reads an openssl PKCS#8 key and refuses what we do not support") {
        auto leaf = PrivateKey::from_pem(k_leaf_key_pem);
        REQUIRE(leaf.ok());
        CHECK(leaf->type() == KeyType::ec_p256);

        auto p521 = PrivateKey::from_pem(k_p521_key_pem);
        REQUIRE_FALSE(p521.ok());
        CHECK(p521.error().message.find("not supported") != std::string::npos);

        auto ed25519 = PrivateKey::from_pem(k_ed25519_key_pem);
        REQUIRE_FALSE(ed25519.ok());
        CHECK(ed25519.error().message.find("not supported") != std::string::npos);

        auto rsa1024 = PrivateKey::from_pem(k_rsa1024_key_pem);
        REQUIRE_FALSE(rsa1024.ok());
        CHECK(rsa1024.error().message.find("1024") != std::string::npos);

        auto encrypted = PrivateKey::from_pem(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
        REQUIRE_FALSE(encrypted.ok());
        CHECK(encrypted.error().message.find("encrypted") != std::string::npos);

        CHECK_FALSE(PrivateKey::from_pem("").ok());
        CHECK_FALSE(PrivateKey::from_pem("not a key").ok());
        CHECK_FALSE(
            PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .ok());
    }

    TEST_CASE("a CSR carries exactly the requested names, wildcard included") {
        const std::vector<std::string> names{"*.example.test", "example.test"};
        for (const KeyType type : {KeyType::ec_p256, KeyType::ec_p384, KeyType::rsa_2048}) {
            CAPTURE(wildcert::to_string(type));
            auto key = PrivateKey::generate(type);
            REQUIRE(key.ok());
            auto der = make_csr_der(*key, names);
            REQUIRE(der.ok());
            REQUIRE_FALSE(der->empty());
            CHECK((*der)[0] == 0x30); // DER SEQUENCE (RFC 2986 §4.2)
            auto parsed = csr_dns_names(*der);
            REQUIRE(parsed.ok());
            CHECK(*parsed == names);
        }
    }

    TEST_CASE("a CSR whose first name is too long for a CN still carries it as a SAN") {
        const std::vector<std::string> names{std::string(70, 'a') + ".example.test",
                                             "b.example.test"};
        auto der = make_csr_der(a3_key(), names);
        REQUIRE(der.ok());
        auto parsed = csr_dns_names(*der);
        REQUIRE(parsed.ok());
        CHECK(*parsed == names);
    }

    TEST_CASE("make_csr_der refuses no names and empty names; csr_dns_names refuses garbage") {
        const PrivateKey key = a3_key();
        CHECK_FALSE(make_csr_der(key, std::vector<std::string>{}).ok());
        CHECK_FALSE(make_csr_der(key, std::vector<std::string>{"a.example.test", ""}).ok());
        CHECK_FALSE(make_csr_der(key, std::vector<std::string>{"bad name"}).ok());
        CHECK_FALSE(csr_dns_names(std::vector<std::uint8_t>{}).ok());
        CHECK_FALSE(csr_dns_names(std::vector<std::uint8_t>{0x30, 0x03, 0x02, 0x01, 0x00}).ok());

        auto der = make_csr_der(key, std::vector<std::string>{"a.example.test"});
        REQUIRE(der.ok());
        auto tampered = *der;
        tampered[tampered.size() - 5] ^= 0x01; // inside the signature
        CHECK_FALSE(csr_dns_names(tampered).ok());
    }

    TEST_CASE("parse_pem_chain reads a leaf and its root") {
        auto chain = parse_pem_chain(k_chain_pem);
        REQUIRE(chain.ok());
        REQUIRE(chain->size() == 2);

        const CertificateInfo& leaf = (*chain)[0];
        CHECK(leaf.dns_names == std::vector<std::string>{"*.example.test", "example.test"});
        // DER holds 00 8a 1b ...: the sign byte is not part of the serial.
        CHECK(leaf.serial_hex == "8a1b2c3d4e5f6071");
        CHECK(leaf.issuer_cn == "wildcert Test Root");
        CHECK(leaf.subject.find("*.example.test") != std::string::npos);
        CHECK(leaf.issuer.find("wildcert Test Root") != std::string::npos);
        CHECK(epoch_seconds(leaf.not_before) == 1795920295); // 2026-11-29T02:44:55Z
        CHECK(epoch_seconds(leaf.not_after) == 4949520295);  // 2126-11-05T02:44:55Z

        auto leaf_key = PrivateKey::from_pem(k_leaf_key_pem);
        REQUIRE(leaf_key.ok());
        CHECK(leaf.public_key_der == leaf_key->public_key_der());

        const CertificateInfo& root = (*chain)[1];
        CHECK(root.serial_hex == "01");
        CHECK(root.dns_names.empty());
        CHECK(root.issuer_cn == "wildcert Test Root");
        CHECK(root.subject == root.issuer);
        CHECK(root.public_key_der != leaf.public_key_der);

        // Each pem is that certificate alone and parses back to the same certificate.
        for (const CertificateInfo& info : *chain) {
            auto single = parse_pem_chain(info.pem);
            REQUIRE(single.ok());
            REQUIRE(single->size() == 1);
            CHECK((*single)[0].serial_hex == info.serial_hex);
            CHECK((*single)[0].public_key_der == info.public_key_der);
        }
    }

    TEST_CASE("parse_pem_chain accepts CRLF line ends and surrounding whitespace") {
        std::string crlf;
        for (const char c : k_chain_pem) {
            if (c == '\n')
                crlf += '\r';
            crlf += c;
        }
        auto chain = parse_pem_chain("\r\n  " + crlf + "\n\n");
        REQUIRE(chain.ok());
        CHECK(chain->size() == 2);
    }

    TEST_CASE("parse_pem_chain rejects empty input, garbage and non-certificate blocks") {
        const std::string chain(k_chain_pem);
        const std::string leaf = chain.substr(0, chain.find("-----BEGIN", 10));
        CHECK_FALSE(parse_pem_chain("").ok());
        CHECK_FALSE(parse_pem_chain(" \n\t").ok());
        CHECK_FALSE(parse_pem_chain("garbage").ok());
        CHECK_FALSE(parse_pem_chain("garbage\n" + chain).ok());
        CHECK_FALSE(parse_pem_chain(chain + "garbage\n").ok());
        CHECK_FALSE(parse_pem_chain(leaf + "<html>\n" + leaf).ok());
        CHECK_FALSE(parse_pem_chain(chain.substr(0, chain.size() - 30)).ok()); // truncated
        CHECK_FALSE(parse_pem_chain(std::string(k_leaf_key_pem)).ok());
        CHECK_FALSE(parse_pem_chain(leaf + std::string(k_leaf_key_pem)).ok());

        // Drop the second line of base64: the DER is cut short inside the certificate.
        auto corrupted = leaf;
        const auto second_line = corrupted.find('\n', corrupted.find('\n') + 1) + 1;
        corrupted.erase(second_line, corrupted.find('\n', second_line) + 1 - second_line);
        auto bad_base64 = leaf;
        bad_base64[70] = '#';
        CHECK_FALSE(parse_pem_chain(bad_base64).ok());
        const auto result = parse_pem_chain(corrupted);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == wildcert::ErrorKind::crypto);
        CHECK(result.error().message.find("block 1") != std::string::npos);

        const auto key_block = parse_pem_chain(leaf + std::string(k_leaf_key_pem));
        REQUIRE_FALSE(key_block.ok());
        CHECK(key_block.error().message.find("block 2") != std::string::npos);
        // The key block's body is never echoed.
        CHECK(key_block.error().message.find("MIGHAgEA") == std::string::npos);
    }

} // TEST_SUITE
