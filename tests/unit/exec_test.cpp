// Unit tests for the exec provider.
#include <doctest/doctest.h>
