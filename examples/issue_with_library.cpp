// Issues every certificate of a profile through the library, the way src/cli does, in a
// few lines: load the profile, create a Client, call issue().
//
//   issue_with_library PROFILE STATE_DIR

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " PROFILE STATE_DIR\n";
        return 2;
    }
    auto profile = wildcert::load_profile(argv[1]);
    if (!profile.ok()) {
        std::cerr << profile.error().message << '\n';
        return 2;
    }
    wildcert::ClientOptions options;
    options.state_dir = argv[2];
    options.log = [](wildcert::LogLevel, std::string_view line) { std::cerr << line << '\n'; };
    const auto certificates = profile->certificates;
    auto client = wildcert::Client::create(std::move(profile).value(), std::move(options));
    if (!client.ok()) {
        std::cerr << client.error().message << '\n';
        return 2;
    }
    int status = 0;
    for (const auto& certificate : certificates) {
        const auto issued = client->issue(certificate);
        if (!issued.ok()) {
            std::cerr << issued.error().message << '\n';
            status = 1;
            continue;
        }
        std::cout << issued->name << " -> " << issued->live_dir.string() << '\n';
    }
    return status;
}
