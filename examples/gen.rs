use ad_lab::lang::compile::Compiled;
use ad_lab::lang::Limits;
use ad_lab::transform::{forward_program, reverse_program};
fn main() {
    let src = std::env::args().nth(1).unwrap().replace("\\n", "\n");
    let c = Compiled::new(&src, &Limits::default()).unwrap();
    println!("{}", forward_program(&c, 0).unwrap().text);
    println!("{}", reverse_program(&c, 0).unwrap().text);
}
