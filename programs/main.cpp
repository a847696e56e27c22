#include <cstdio>
int main() { std::puts("lmzip: skeleton"); return 0; }
