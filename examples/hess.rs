use ad_lab::ad::dual::Dual;
use ad_lab::ad::eval;
use ad_lab::ad::hessian::hessian;
use ad_lab::ad::taylor::derivatives_along;
fn main() {
    let src = std::env::args().nth(1).unwrap().replace("\\n", "\n");
    let x: Vec<f64> = std::env::args()
        .skip(2)
        .map(|a| a.parse().unwrap())
        .collect();
    let g = ad_lab::lang::lower_source(&src).unwrap();
    let h = hessian(&g, &x);
    println!("fwd-over-rev {:?}", h.matrix);
    let n = x.len();
    for i in 0..n {
        for j in 0..n {
            let xs: Vec<Dual<Dual>> = x
                .iter()
                .enumerate()
                .map(|(q, &v)| {
                    Dual::new(
                        Dual::new(v, if q == i { 1.0 } else { 0.0 }),
                        Dual::new(if q == j { 1.0 } else { 0.0 }, 0.0),
                    )
                })
                .collect();
            println!(
                "dd[{i}][{j}] = {}",
                eval::evaluate_generic(&g, &xs)[g.outputs[0].index()]
                    .eps
                    .eps
            );
        }
    }
    for j in 0..n {
        println!("taylor {j}: {:?}", derivatives_along::<4>(&g, &x, j, 0));
    }
}
