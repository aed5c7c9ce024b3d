#include "common/secure_wipe.hpp"

#include <string.h> // explicit_bzero (glibc 2.25)

namespace wildcert {

void secure_wipe(std::string& text) {
    // Within capacity resize() does not reallocate: the bytes beyond size() are then ours to
    // write through data().
    text.resize(text.capacity());
    ::explicit_bzero(text.data(), text.size());
    text.clear();
}

} // namespace wildcert
