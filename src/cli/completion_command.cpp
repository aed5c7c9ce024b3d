#include "cli/completion_command.hpp"

#include "cli/completion_script.hpp"
#include "cli/exit_codes.hpp"

#include <iostream>

namespace wildcert::cli {

int run_completion(const Arguments& arguments) {
    // The parser has checked the name (command_table.cpp).
    std::cout << completion_script(arguments.completion_shell).value_or("");
    return k_exit_ok;
}

} // namespace wildcert::cli
